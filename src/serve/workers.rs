//! The threads that answer connections, kept from one connection to the next.
//!
//! `http` still gives each open connection a thread of its own (blocking reads with timeouts
//! are what make a slow-loris cheap), but a thread that has answered its connection waits for
//! the next one instead of ending. Measured under load (issue 16, `benches/serve-load.mjs`):
//! starting a thread per request, and above all the fresh heap each new thread gets from
//! mimalloc (a 2 MiB huge page zeroed by the kernel), were about half of the server's CPU
//! time. The pool grows to as many threads as connections are open at once (the caller bounds
//! that: `Limits::max_connections`) and lets a thread go after it has been idle for a while.
//!
//! Our own forty lines: rayon's pool is for CPU work (a blocked thread there starves the rest),
//! and the crates for blocking work either have a fixed size or bring an async executor.

use std::collections::VecDeque;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

type Job = Box<dyn FnOnce() + Send>;

/// A growing pool of threads for blocking jobs.
pub struct Workers {
    queue: Mutex<Queue>,
    ready: Condvar,
    name: &'static str,
    stack: usize,
    keep_idle: Duration,
}

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    /// Threads waiting for a job.
    idle: usize,
}

impl Workers {
    /// Threads named `name` with `stack` bytes of stack, each kept `keep_idle` after its last job.
    pub fn new(name: &'static str, stack: usize, keep_idle: Duration) -> Arc<Workers> {
        Arc::new(Workers {
            queue: Mutex::new(Queue::default()),
            ready: Condvar::new(),
            name,
            stack,
            keep_idle,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `job` on an idle thread, or on a new one if none is idle. If no thread can be
    /// started, `job` is dropped unrun (with whatever it owns) and the error returned.
    pub fn run(self: &Arc<Self>, job: impl FnOnce() + Send + 'static) -> io::Result<()> {
        let mut queue = self.lock();
        if queue.idle > queue.jobs.len() {
            queue.jobs.push_back(Box::new(job));
            drop(queue);
            self.ready.notify_one();
            return Ok(());
        }
        drop(queue);
        let me = Arc::clone(self);
        std::thread::Builder::new()
            .name(self.name.into())
            .stack_size(self.stack)
            .spawn(move || {
                let _ = catch_unwind(AssertUnwindSafe(job));
                me.work();
            })
            .map(drop)
    }

    /// A thread's life: jobs from the queue until none has come for `keep_idle`.
    fn work(&self) {
        let mut queue = self.lock();
        loop {
            if let Some(job) = queue.jobs.pop_front() {
                drop(queue);
                // A panicking job loses its connection, not the thread.
                let _ = catch_unwind(AssertUnwindSafe(job));
                queue = self.lock();
                continue;
            }
            queue.idle += 1;
            let (guard, waited) = self
                .ready
                .wait_timeout(queue, self.keep_idle)
                .unwrap_or_else(|e| e.into_inner());
            queue = guard;
            queue.idle -= 1;
            if waited.timed_out() && queue.jobs.is_empty() {
                return;
            }
        }
    }

    /// Threads waiting for a job now.
    pub fn idle(&self) -> usize {
        self.lock().idle
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;

    #[test]
    fn threads_are_reused_and_jobs_run_at_once() {
        let workers = Workers::new("test-worker", 64 * 1024, Duration::from_secs(30));
        let (tx, rx) = channel();
        for _ in 0..3 {
            let tx = tx.clone();
            workers
                .run(move || tx.send(std::thread::current().id()).unwrap())
                .unwrap();
            // Wait for the job, and for its thread to be idle again.
            rx.recv().unwrap();
            while workers.idle() == 0 {
                std::thread::yield_now();
            }
        }
        let first = {
            let tx = tx.clone();
            workers
                .run(move || tx.send(std::thread::current().id()).unwrap())
                .unwrap();
            rx.recv().unwrap()
        };
        while workers.idle() == 0 {
            std::thread::yield_now();
        }
        workers
            .run(move || tx.send(std::thread::current().id()).unwrap())
            .unwrap();
        assert_eq!(
            rx.recv().unwrap(),
            first,
            "one thread for jobs one after another"
        );
        // The thread sends before it counts itself idle again: wait for it (no fixed sleep),
        // and fail if it never comes back.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while workers.idle() != 1 {
            assert!(
                std::time::Instant::now() < deadline,
                "the thread is idle again after its job ({} idle)",
                workers.idle()
            );
            std::thread::yield_now();
        }
    }

    #[test]
    fn a_busy_pool_grows_and_a_panic_keeps_the_thread() {
        let workers = Workers::new("test-worker", 64 * 1024, Duration::from_secs(30));
        let (tx, rx) = channel();
        let gate = Arc::new((Mutex::new(false), Condvar::new()));
        for _ in 0..4 {
            let (tx, gate) = (tx.clone(), Arc::clone(&gate));
            workers
                .run(move || {
                    let (open, cv) = &*gate;
                    drop(cv.wait_while(open.lock().unwrap(), |o| !*o).unwrap());
                    tx.send(()).unwrap();
                    panic!("a job that panics (expected)");
                })
                .unwrap();
        }
        // Four blocked jobs, four threads: none waits for another.
        *gate.0.lock().unwrap() = true;
        gate.1.notify_all();
        for _ in 0..4 {
            rx.recv().unwrap();
        }
        while workers.idle() < 4 {
            std::thread::yield_now();
        }
    }

    #[test]
    fn idle_threads_end() {
        let workers = Workers::new("test-worker", 64 * 1024, Duration::from_millis(10));
        let (tx, rx) = channel();
        workers.run(move || tx.send(()).unwrap()).unwrap();
        rx.recv().unwrap();
        // Its thread waits 10 ms for another job, then ends (no busy wait: it sleeps on the
        // condition variable).
        let mut ended = false;
        for _ in 0..500 {
            std::thread::sleep(Duration::from_millis(10));
            if workers.idle() == 0 && Arc::strong_count(&workers) == 1 {
                ended = true;
                break;
            }
        }
        assert!(ended, "the idle thread still holds the pool");
    }
}
