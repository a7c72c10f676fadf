//! A flag set from outside a solve (Ctrl-C, a scenario run stopping) that
//! the stages and the search look at between steps: the solve then ends
//! with the best timetable it has, instead of the process being killed
//! with the outputs half written.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Shared by clones: cancelling one cancels them all.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// Asks every solve holding a clone of this flag to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}
