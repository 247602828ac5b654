/* tui.h: the interactive explorer's entry point. */
#ifndef HW_TUI_H
#define HW_TUI_H

/* heapwalk [OPTIONS] DUMP: argv as main() got it. Returns the exit status. */
int tui_main(int argc, char **argv);

#endif
