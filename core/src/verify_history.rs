//! Verification over the log's history: the checks of block 30 run again on the state after
//! each slice of the command log, counted by status. The state keeps no verification runs (a
//! run is a query, not a command), so the console's chart of "checks by status over runs"
//! rebuilds them from the log: deterministic, and the same in the console, JS and tests.

use crate::brain::{Brain, Stepper};
use crate::verify::Status;
use serde::{Deserialize, Serialize};

/// Most runs a history holds, whatever the caller asks (each run re-executes its prefix).
pub const MAX_RUNS: usize = 24;

/// One run of the checks, counted by status.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RunCounts {
    /// Commands of the log executed before the run.
    pub commands: usize,
    /// Checks that passed.
    pub pass: usize,
    /// Checks that warned.
    pub warn: usize,
    /// Checks that failed.
    pub fail: usize,
}

impl Brain {
    /// The checks run on the state after every `len / runs`-th command of the log (at most
    /// [`MAX_RUNS`] runs, the last one on the live state), oldest first; empty for an empty
    /// log. A refused command leaves the state as it was, as when it ran.
    pub fn verification_history(&self, runs: usize) -> Vec<RunCounts> {
        let log = self.log();
        let runs = runs.clamp(1, MAX_RUNS).min(log.len());
        let mut marks: Vec<usize> = (1..=runs).map(|i| i * log.len() / runs).collect();
        marks.dedup();
        let mut stepper = Stepper::from_origin(self.origin(), log.to_vec());
        let mut out = Vec::with_capacity(marks.len());
        for mark in marks {
            while stepper.progress().0 < mark {
                if stepper.next_step().is_none() {
                    break;
                }
            }
            let report = stepper.brain().verify();
            let n = |s: Status| report.checks.iter().filter(|c| c.status == s).count();
            out.push(RunCounts {
                commands: mark,
                pass: n(Status::Pass),
                warn: n(Status::Warn),
                fail: n(Status::Fail),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn demo() -> Brain {
        Brain::demo(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        )
    }

    #[test]
    fn the_last_run_is_the_live_verification() {
        // given the demo, when its history is verified in four runs
        let b = demo();
        let runs = b.verification_history(4);
        // then the runs end at the live state and count what verify() counts there
        assert_eq!(runs.len(), 4);
        assert_eq!(runs.last().map(|r| r.commands), Some(b.log().len()));
        let live = b.verify();
        let n = |s: Status| live.checks.iter().filter(|c| c.status == s).count();
        assert_eq!(
            runs.last().map(|r| (r.pass, r.warn, r.fail)),
            Some((n(Status::Pass), n(Status::Warn), n(Status::Fail)))
        );
        // and every run counts every check, at increasing positions
        assert!(runs
            .iter()
            .all(|r| r.pass + r.warn + r.fail == live.checks.len()));
        assert!(runs.windows(2).all(|w| w[0].commands < w[1].commands));
    }

    #[test]
    fn the_history_is_bounded_and_empty_without_a_log() {
        let b = demo();
        assert_eq!(
            b.verification_history(1000).len(),
            MAX_RUNS.min(b.log().len())
        );
        assert_eq!(b.verification_history(0).len(), 1);
        assert!(Brain::new().verification_history(8).is_empty());
    }
}
