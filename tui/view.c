/* view.c: what the screens share: the table of screens and their messages. */
#include "view.h"

#include <stdarg.h>
#include <stdio.h>

const struct view_ops *view_ops_of(enum view_kind kind)
{
    switch (kind) {
    case VIEW_SUMMARY: return &view_summary_ops;
    case VIEW_INSTANCES: return &view_instances_ops;
    case VIEW_OBJECT: return &view_object_ops;
    case VIEW_HELP: return &view_help_ops;
    case VIEW_MARKS: return &view_marks_ops;
    case VIEW_DOMTREE: return &view_domtree_ops;
    case VIEW_HOLDERS: return &view_holders_ops;
    case VIEW_PATH: return &view_path_ops;
    case VIEW_ROOTS: return &view_roots_ops;
    }
    return &view_summary_ops;
}

unsigned view_say(struct view_result *res, int error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->message, sizeof res->message, fmt, ap);
    va_end(ap);
    res->error = error;
    return VIEW_HANDLED | VIEW_SAY;
}
