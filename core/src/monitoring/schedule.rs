//! The schedule of checks in a core that has no clock: each named check has a cadence
//! (policy data); the state keeps when each last ran; [`due`] lists, for a time the caller
//! brings (`RunDueChecks { at }`), the checks that fell due since their last run, in time
//! order, and how many runs a long gap skipped (a check runs once, however long the gap).

use super::Error;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest cadence: a year, in minutes.
pub const MAX_CADENCE_MINUTES: u32 = 366 * 24 * 60;

/// The scheduled checks, in the order they run when due at the same time.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "MonitoringCheck"))]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// Drift and degradation of every series whose subject is a model: the automatic
    /// rollbacks.
    Drift,
    /// The absolute thresholds on outcome series.
    Thresholds,
    /// The winner of every experiment, under the A/B policy in force.
    AbEvaluation,
    /// The daily health report.
    Health,
    /// The weekly summary.
    WeeklyReport,
}

impl Check {
    /// Every check, in order.
    pub const ALL: [Check; 5] = [
        Check::Drift,
        Check::Thresholds,
        Check::AbEvaluation,
        Check::Health,
        Check::WeeklyReport,
    ];

    /// The check's name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            Check::Drift => "drift",
            Check::Thresholds => "thresholds",
            Check::AbEvaluation => "ab_evaluation",
            Check::Health => "health",
            Check::WeeklyReport => "weekly_report",
        }
    }
}

/// How often each check runs, in minutes; 0 turns a check off.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct Schedule {
    /// Drift and degradation (default 60: hourly).
    pub drift: u32,
    /// Absolute thresholds (default 60).
    pub thresholds: u32,
    /// A/B evaluation (default 360: every 6 hours).
    pub ab_evaluation: u32,
    /// Health check and daily report (default 1440: daily).
    pub health: u32,
    /// Weekly report (default 10080: 7 days).
    pub weekly_report: u32,
}

impl Default for Schedule {
    /// The original system's continuous-learning cadences.
    fn default() -> Self {
        Schedule {
            drift: 60,
            thresholds: 60,
            ab_evaluation: 6 * 60,
            health: 24 * 60,
            weekly_report: 7 * 24 * 60,
        }
    }
}

impl Schedule {
    /// The cadence of `check` in minutes (0: off).
    pub fn minutes(&self, check: Check) -> u32 {
        match check {
            Check::Drift => self.drift,
            Check::Thresholds => self.thresholds,
            Check::AbEvaluation => self.ab_evaluation,
            Check::Health => self.health,
            Check::WeeklyReport => self.weekly_report,
        }
    }

    /// Every cadence at most a year.
    pub fn validate(&self) -> Result<(), Error> {
        for check in Check::ALL {
            let minutes = self.minutes(check);
            if minutes > MAX_CADENCE_MINUTES {
                return Err(Error::CadenceOutOfRange {
                    check: check.name(),
                    minutes,
                });
            }
        }
        Ok(())
    }
}

/// When a check last ran, and how often.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CheckRun {
    /// The time of the `RunDueChecks` that last ran it.
    pub last_run: DateTime<Utc>,
    /// Runs so far.
    pub runs: u64,
    /// Runs skipped by long gaps, in total.
    pub skipped: u64,
}

/// A check that is due at `at`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Due {
    /// Which.
    pub check: Check,
    /// When it fell due (its last run plus its cadence; `at` for a check never run).
    pub due_at: DateTime<Utc>,
    /// Runs a long gap skipped: due slots before the last one.
    pub skipped: u64,
}

/// One row of the schedule: a check's cadence, its last and next run.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ScheduleRow"))]
#[serde(rename_all = "camelCase")]
pub struct ScheduleRow {
    /// Which check.
    pub check: Check,
    /// Its cadence in minutes (0: off).
    pub every_minutes: u32,
    /// When it last ran.
    pub last_run: Option<DateTime<Utc>>,
    /// When it falls due next (none when off; a check never run is due at once, at its
    /// first `RunDueChecks`, shown as none).
    pub next_run: Option<DateTime<Utc>>,
    /// Runs so far.
    pub runs: u64,
    /// Runs skipped by long gaps, in total.
    pub skipped: u64,
}

/// The checks due at `at`, in time order (then in check order).
pub fn due(schedule: &Schedule, runs: &BTreeMap<Check, CheckRun>, at: DateTime<Utc>) -> Vec<Due> {
    let mut due: Vec<Due> = Check::ALL
        .into_iter()
        .filter_map(|check| {
            let minutes = schedule.minutes(check);
            if minutes == 0 {
                return None;
            }
            let Some(run) = runs.get(&check) else {
                return Some(Due {
                    check,
                    due_at: at,
                    skipped: 0,
                });
            };
            let cadence = Duration::minutes(i64::from(minutes));
            let due_at = run.last_run + cadence;
            if due_at > at {
                return None;
            }
            let elapsed = (at - run.last_run).num_seconds();
            let slots = elapsed / cadence.num_seconds();
            Some(Due {
                check,
                due_at,
                skipped: u64::try_from(slots.saturating_sub(1)).unwrap_or(0),
            })
        })
        .collect();
    due.sort_by_key(|d| (d.due_at, d.check));
    due
}

/// The schedule's rows: every check with its last and next run.
pub fn rows(schedule: &Schedule, runs: &BTreeMap<Check, CheckRun>) -> Vec<ScheduleRow> {
    Check::ALL
        .into_iter()
        .map(|check| {
            let minutes = schedule.minutes(check);
            let run = runs.get(&check);
            ScheduleRow {
                check,
                every_minutes: minutes,
                last_run: run.map(|r| r.last_run),
                next_run: match (minutes, run) {
                    (0, _) | (_, None) => None,
                    (m, Some(r)) => Some(r.last_run + Duration::minutes(i64::from(m))),
                },
                runs: run.map_or(0, |r| r.runs),
                skipped: run.map_or(0, |r| r.skipped),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_780_000_000, 0).unwrap_or_default() + Duration::hours(h)
    }

    fn ran(at: DateTime<Utc>) -> CheckRun {
        CheckRun {
            last_run: at,
            runs: 1,
            skipped: 0,
        }
    }

    #[test]
    fn a_check_never_run_is_due_at_once_and_an_off_check_never() {
        let schedule = Schedule {
            weekly_report: 0,
            ..Schedule::default()
        };
        let due = due(&schedule, &BTreeMap::new(), t(0));
        let checks: Vec<Check> = due.iter().map(|d| d.check).collect();
        assert_eq!(
            checks,
            [
                Check::Drift,
                Check::Thresholds,
                Check::AbEvaluation,
                Check::Health
            ]
        );
    }

    #[test]
    fn after_a_long_gap_each_check_is_due_once_in_time_order_with_the_runs_it_skipped() {
        let runs: BTreeMap<Check, CheckRun> = [
            (Check::Drift, ran(t(0))),
            (Check::Thresholds, ran(t(0))),
            (Check::AbEvaluation, ran(t(0))),
            (Check::Health, ran(t(-20))),
            (Check::WeeklyReport, ran(t(-100))),
        ]
        .into();
        // 30 hours later: drift and thresholds fell due 30 times (29 skipped), A/B 5 times
        // (4 skipped), health (at -20 + 24 = 4) twice (1 skipped), the weekly report not yet.
        let due = due(&Schedule::default(), &runs, t(30));
        let got: Vec<(Check, DateTime<Utc>, u64)> =
            due.iter().map(|d| (d.check, d.due_at, d.skipped)).collect();
        assert_eq!(
            got,
            [
                (Check::Drift, t(1), 29),
                (Check::Thresholds, t(1), 29),
                (Check::Health, t(4), 1),
                (Check::AbEvaluation, t(6), 4),
            ]
        );
    }

    #[test]
    fn a_check_is_not_due_before_its_cadence_has_passed() {
        let runs: BTreeMap<Check, CheckRun> = [(Check::Drift, ran(t(0)))].into();
        let schedule = Schedule {
            thresholds: 0,
            ab_evaluation: 0,
            health: 0,
            weekly_report: 0,
            ..Schedule::default()
        };
        assert!(due(&schedule, &runs, t(0) + Duration::minutes(59)).is_empty());
        assert_eq!(due(&schedule, &runs, t(1)).len(), 1);
        let rows = rows(&schedule, &runs);
        assert_eq!(rows[0].next_run, Some(t(1)));
        assert_eq!(rows[1].next_run, None);
    }
}
