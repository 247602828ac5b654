/* job.c: a screen's computation on a worker thread (see job.h). */
#include "job.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define DELAY_STEP_MS 10

void job_init(struct job *j)
{
    const char *delay = getenv("HEAPWALK_JOB_DELAY_MS");
    j->delay_ms = delay ? (unsigned)strtoul(delay, NULL, 10) : 0;
}

/* The test hook's wait, in steps short enough for Esc and q. */
static void delay(const struct job *j)
{
    struct timespec step = {0, DELAY_STEP_MS * 1000000L};
    for (unsigned t = 0; t < j->delay_ms && !atomic_load(&j->cancel); t += DELAY_STEP_MS)
        nanosleep(&step, NULL);
}

static void *job_main(void *arg)
{
    struct job *j = arg;
    delay(j);
    j->run(j->arg, &j->cancel);
    atomic_store_explicit(&j->done, 1, memory_order_release);
    return NULL;
}

void job_stop(struct job *j, const void *owner)
{
    if (!j->owner || (owner && j->owner != owner))
        return;
    atomic_store(&j->cancel, 1);
    if (!j->joined)
        pthread_join(j->thread, NULL);
    j->joined = 1;
    j->owner = NULL;
}

void job_start(struct job *j, const void *owner, const char *what, job_fn *fn, void *arg)
{
    job_stop(j, NULL);
    j->owner = owner;
    j->what = what;
    j->run = fn;
    j->arg = arg;
    j->seen = 0;
    j->joined = 0;
    atomic_store(&j->cancel, 0);
    atomic_store(&j->done, 0);
    snprintf(j->status, sizeof j->status, "%s... (Esc stops)", what);
    if (pthread_create(&j->thread, NULL, job_main, j) != 0) {
        j->joined = 1;
        job_main(j);
    }
}

int job_busy(const struct job *j, const void *owner)
{
    if (!j->owner || (owner && j->owner != owner))
        return 0;
    return !atomic_load_explicit(&((struct job *)j)->done, memory_order_acquire);
}

void job_cancel(struct job *j)
{
    if (!job_busy(j, NULL))
        return;
    atomic_store(&j->cancel, 1);
    snprintf(j->status, sizeof j->status, "%s: stopping...", j->what);
}

int job_poll(struct job *j)
{
    if (!j->owner || j->seen || job_busy(j, NULL))
        return 0;
    j->seen = 1;
    if (!j->joined)
        pthread_join(j->thread, NULL);
    j->joined = 1;
    return 1;
}

const char *job_status(const struct job *j)
{
    return job_busy(j, NULL) ? j->status : NULL;
}
