/* job.h: one computation of a screen's own, on a worker thread.
 *
 * What a key asks for must not keep the main loop from the keys: a search
 * that can take longer than a tenth of a second (k paths on a deep chain)
 * runs here instead, while the loop goes on reading keys, redrawing, and
 * noticing signals.  The status line says what it is doing ("working...");
 * Esc cancels it; q, ^C, SIGTERM and SIGHUP cancel it on the way out.
 *
 * There is one slot: starting a job stops the one running (cancel, then
 * join: the work polls its cancel flag, so that takes milliseconds).  The
 * job writes only into the state its owner (a screen) gave it, and the owner
 * reads that state only once job_busy() says the job is over (the acquire
 * load of `done` pairs with the worker's release store), so no lock is
 * needed.  Whoever frees what a job reads (a screen closing, the analysis
 * restarting with new roots) calls job_stop() first. */
#ifndef HW_TUI_JOB_H
#define HW_TUI_JOB_H

#include <pthread.h>
#include <stdatomic.h>

/* The work: it polls *cancel (non-zero: stop as soon as it can). */
typedef void job_fn(void *arg, const atomic_int *cancel);

struct job {
    const void *owner;       /* who started it (a screen's state); NULL: no job */
    const char *what;        /* for the status line: "finding paths" */
    job_fn *run;
    void *arg;
    atomic_int cancel;
    atomic_int done;
    int joined;              /* the thread has been joined (or there was none) */
    int seen;                /* job_poll reported this job's end */
    pthread_t thread;
    char status[96];         /* job_status() */
    unsigned delay_ms;       /* HEAPWALK_JOB_DELAY_MS, for tests: every job first waits this long */
};

/* Read HEAPWALK_JOB_DELAY_MS: the terminal tests make every job wait that
 * long (Esc and q still stop it at once), so that what the explorer does
 * while it computes can be seen on a dump of any size. */
void job_init(struct job *j);
/* Stop any job, then run fn(arg) in the background for owner.  Without a
 * thread to be had, fn runs at once (its own budget bounds it). */
void job_start(struct job *j, const void *owner, const char *what, job_fn *fn, void *arg);
/* Is a job of owner's (owner NULL: anyone's) still running? */
int job_busy(const struct job *j, const void *owner);
/* Ask the job to stop (Esc); job_busy says when it has. */
void job_cancel(struct job *j);
/* Cancel the job and wait for it; with owner, only a job of owner's. */
void job_stop(struct job *j, const void *owner);
/* 1 once after a job ended (the loop redraws and tells the screen). */
int job_poll(struct job *j);
/* "finding paths... (Esc stops)" while a job runs, else NULL. */
const char *job_status(const struct job *j);

#endif
