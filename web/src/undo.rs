//! Undo of the last action, where the engine has a compensating command.
//!
//! The log is append-only (the audit chain and the determinism pins depend
//! on it), so "undo" never removes a command: it runs the command that puts
//! the state back, and the audit trail shows both. Which command that is
//! depends on the state *before* the action (a source removed while
//! suspended comes back suspended, a paused rollout resumes), so it is
//! worked out before the action runs. Pure, tested natively; the console
//! offers it in the action's toast.

use brain_core::brain::{Brain, Command};
use brain_core::ingest::{self, SourceStatus};
use brain_core::rollouts::{self, Status as RolloutStatus};

/// What puts the state back after `command`, as `brain` stands before it;
/// `None` where nothing can (a retired script, an appended record).
pub fn compensation(brain: &Brain, command: &Command) -> Option<Vec<Command>> {
    match command {
        Command::Ingest(c) => ingest_compensation(brain, c),
        Command::Rollouts(c) => rollout_compensation(brain, c),
        _ => None,
    }
}

/// A paused rollout resumes and a resumed one pauses again; nothing else a
/// rollout does (a stage advanced, an abort) can be put back.
fn rollout_compensation(brain: &Brain, command: &rollouts::Command) -> Option<Vec<Command>> {
    let status = |id: &str| brain.rollout(id).map(|r| r.status);
    match command {
        rollouts::Command::PauseRollout { rollout_id }
            if status(rollout_id) == Some(RolloutStatus::Running) =>
        {
            Some(vec![Command::Rollouts(rollouts::Command::ResumeRollout {
                rollout_id: rollout_id.clone(),
            })])
        }
        rollouts::Command::ResumeRollout { rollout_id }
            if status(rollout_id) == Some(RolloutStatus::Paused) =>
        {
            Some(vec![Command::Rollouts(rollouts::Command::PauseRollout {
                rollout_id: rollout_id.clone(),
            })])
        }
        _ => None,
    }
}

fn ingest_compensation(brain: &Brain, command: &ingest::Command) -> Option<Vec<Command>> {
    let state = brain.state();
    let status = |source: &str| {
        let name = ingest::normalize(source);
        (state.ingest.effective(&name, &state.policy.ingest), name)
    };
    let add = |source: &String| {
        Command::Ingest(ingest::Command::AddSource {
            source: source.clone(),
        })
    };
    let suspend = |source: &String| {
        Command::Ingest(ingest::Command::SuspendSource {
            source: source.clone(),
        })
    };
    match command {
        ingest::Command::SuspendSource { source } => match status(source) {
            (SourceStatus::Active, name) => Some(vec![add(&name)]),
            _ => None,
        },
        ingest::Command::RemoveSource { source } => match status(source) {
            (SourceStatus::Active, name) => Some(vec![add(&name)]),
            (SourceStatus::Suspended, name) => Some(vec![add(&name), suspend(&name)]),
            _ => None,
        },
        ingest::Command::AddSource { .. } | ingest::Command::IngestData { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_core::brain::Envelope;
    use chrono::{TimeZone, Utc};

    fn run(brain: &mut Brain, command: Command) {
        let at = brain.state().last_at.unwrap_or_default() + chrono::Duration::minutes(1);
        brain.execute(Envelope::new(at, command)).expect("accepted");
    }

    fn ingest(c: ingest::Command) -> Command {
        Command::Ingest(c)
    }

    /// Given the demo, the action then its compensation leave every source as it was.
    fn check_round_trip(action: ingest::Command) {
        let mut brain = Brain::demo(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap());
        let before = brain.sources();
        let back = compensation(&brain, &ingest(action.clone())).expect("an undo exists");
        run(&mut brain, ingest(action));
        assert_ne!(brain.sources(), before, "the action changed something");
        for c in back {
            run(&mut brain, c);
        }
        let statuses = |s: &[ingest::SourceReport]| {
            s.iter()
                .map(|r| (r.source.clone(), r.status))
                .collect::<Vec<_>>()
        };
        assert_eq!(statuses(&brain.sources()), statuses(&before));
    }

    #[test]
    fn removing_or_suspending_a_source_is_undone_to_the_status_it_had() {
        check_round_trip(ingest::Command::RemoveSource {
            source: "zillow".into(),
        });
        check_round_trip(ingest::Command::SuspendSource {
            source: "zillow".into(),
        });
        // redfin is suspended in the demo: removed, it comes back suspended.
        check_round_trip(ingest::Command::RemoveSource {
            source: "redfin".into(),
        });
    }

    #[test]
    fn pausing_a_running_rollout_is_undone_by_resuming_it_and_back() {
        let mut brain = Brain::demo(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap());
        let id = brain
            .rollouts()
            .into_iter()
            .find(|r| r.status == RolloutStatus::Running)
            .map(|r| r.rollout_id)
            .expect("the demo has a running rollout");
        let status = |b: &Brain| b.rollout(&id).map(|r| r.status);
        let pause = Command::Rollouts(rollouts::Command::PauseRollout {
            rollout_id: id.clone(),
        });
        let back = compensation(&brain, &pause).expect("an undo exists");
        run(&mut brain, pause.clone());
        assert_eq!(status(&brain), Some(RolloutStatus::Paused));
        // Pausing a paused rollout is refused: no undo is offered for it.
        assert_eq!(compensation(&brain, &pause), None);
        let resume = back[0].clone();
        let again = compensation(&brain, &resume).expect("resuming is undone too");
        for c in back {
            run(&mut brain, c);
        }
        assert_eq!(status(&brain), Some(RolloutStatus::Running));
        assert_eq!(again, vec![pause]);
    }

    #[test]
    fn what_cannot_be_put_back_offers_no_undo() {
        let brain = Brain::demo(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap());
        let data = ingest(ingest::Command::IngestData {
            source: "zillow".into(),
            payload: "{}".into(),
        });
        assert_eq!(compensation(&brain, &data), None);
        let unknown = ingest(ingest::Command::RemoveSource {
            source: "nowhere".into(),
        });
        assert_eq!(compensation(&brain, &unknown), None);
    }
}
