//! Block 24: a normalised whitelist of sources; accepted and blocked
//! attempts counted per source with the last reasons.

use brain_core::ingest::Command as In;
use brain_core::{Brain, Command, Envelope};
use chrono::{Duration, TimeZone, Utc};

fn main() {
    let t0 = Utc
        .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let mut brain = Brain::new();
    println!(
        "Allowed by policy: {:?}",
        brain.policy().ingest.allowed_sources
    );
    let mut minute = 0;
    let cmds = [
        In::IngestData {
            source: "Zillow".into(),
            payload: "{\"lead\":1}".into(),
        },
        In::IngestData {
            source: " zillow ".into(),
            payload: "{\"lead\":2}".into(),
        },
        In::IngestData {
            source: "Ｚｉｌｌｏｗ".into(),
            payload: "{\"lead\":3}".into(),
        },
        In::IngestData {
            source: "craigslist".into(),
            payload: "{\"spam\":true}".into(),
        },
        In::AddSource {
            source: "Craigslist".into(),
        },
        In::IngestData {
            source: "craigslist".into(),
            payload: "{\"lead\":4}".into(),
        },
        In::SuspendSource {
            source: "redfin".into(),
        },
        In::IngestData {
            source: "Redfin".into(),
            payload: "{}".into(),
        },
        In::RemoveSource {
            source: "mls".into(),
        },
        In::IngestData {
            source: "MLS".into(),
            payload: "{}".into(),
        },
        In::IngestData {
            source: "realtor".into(),
            payload: "x".repeat(100_000),
        },
        In::AddSource {
            source: "zillow".into(),
        },
        In::IngestData {
            source: "".into(),
            payload: "{}".into(),
        },
    ];
    for cmd in cmds {
        minute += 1;
        let label = format!("{cmd:?}").chars().take(60).collect::<String>();
        match brain.execute(Envelope::new(
            t0 + Duration::minutes(minute),
            Command::Ingest(cmd),
        )) {
            Ok(events) => {
                let refusal = events.iter().find_map(|e| e.refusal());
                println!(
                    "{label:<62} {}",
                    refusal
                        .map(|r| format!("BLOCKED: {r}"))
                        .unwrap_or_else(|| "ok".into())
                );
            }
            Err(e) => println!("{label:<62} error [{}]: {e}", e.code()),
        }
    }
    println!(
        "\n{:<12} {:<10} {:>8} {:>8}  last reasons",
        "source", "status", "accepted", "blocked"
    );
    for s in brain.sources() {
        println!(
            "{:<12} {:<10} {:>8} {:>8}  {:?}",
            s.source,
            format!("{:?}", s.status),
            s.accepted,
            s.blocked,
            s.last_reasons
        );
    }
}
