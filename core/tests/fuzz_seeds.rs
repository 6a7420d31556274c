//! The fuzz targets' seed inputs (`fuzz/seeds/<target>/`), built from real data: the demo's
//! commands, its snapshot and audit export, older snapshots, policies. Checks that each seed
//! is what its target expects (a command that parses, a snapshot that imports, an export that
//! verifies, a policy that validates); with `BRAIN_WRITE_FUZZ_SEEDS=1` it also writes them.
//! The committed corpora (`fuzz/corpus/<target>/`) start from these, minimized by
//! `cargo fuzz cmin` (see `fuzz/README.md`).

use brain_core::brain::{Brain, Command, Envelope};
use brain_core::{ab, audit, demo, Policy};
use chrono::{DateTime, Duration, TimeZone, Utc};
use std::path::PathBuf;

fn demo_start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

/// One seed: the target, a file name, the bytes.
type Seed = (&'static str, String, Vec<u8>);

fn seeds() -> Vec<Seed> {
    let brain = Brain::demo(demo_start());
    let after = brain.state().last_at.unwrap_or_else(demo_start) + Duration::minutes(1);
    let mut out: Vec<Seed> = Vec::new();

    // Command JSON: every demo command, stamped after the demo, one per file; and a short
    // session of new commands (one per line) that the demo brain accepts.
    for (i, env) in demo::commands(demo_start()).into_iter().enumerate() {
        let env = Envelope { at: after, ..env };
        let json = serde_json::to_string(&env).unwrap_or_default();
        out.push((
            "command_json",
            format!("demo-{i:03}.json"),
            json.into_bytes(),
        ));
    }
    let session: Vec<String> = [
        Command::Ab(ab::Command::RegisterVariant {
            experiment: "fuzz".into(),
            variant: "a".into(),
            kind: ab::VariantKind::Channel,
            weight: 1.0,
        }),
        Command::Ab(ab::Command::RegisterVariant {
            experiment: "fuzz".into(),
            variant: "b".into(),
            kind: ab::VariantKind::Channel,
            weight: 1.0,
        }),
        Command::Ab(ab::Command::RecordCounts {
            experiment: "fuzz".into(),
            variant: "b".into(),
            trials: 100,
            conversions: 30,
        }),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, command)| {
        let env = Envelope::new(after + Duration::seconds(i as i64), command).by("ops");
        serde_json::to_string(&env).unwrap_or_default()
    })
    .collect();
    out.push((
        "command_json",
        "session.jsonl".into(),
        session.join("\n").into_bytes(),
    ));

    // Snapshots: the demo as the console exports it, the same folded into its origin, a small
    // brain, an empty one, and the v0 fixture.
    out.push((
        "snapshot_import",
        "demo.json".into(),
        brain.to_snapshot_json().into_bytes(),
    ));
    let mut small = Brain::new();
    for env in demo::commands(demo_start()).into_iter().take(6) {
        let _ = small.execute(env);
    }
    out.push((
        "snapshot_import",
        "small.json".into(),
        small.to_snapshot_json().into_bytes(),
    ));
    let mut folded = brain.snapshot();
    folded.origin = Some(folded.state.clone());
    folded.log.clear();
    folded.events.clear();
    out.push((
        "snapshot_import",
        "folded.json".into(),
        serde_json::to_string(&folded)
            .unwrap_or_default()
            .into_bytes(),
    ));
    out.push((
        "snapshot_import",
        "empty.json".into(),
        Brain::new().to_snapshot_json().into_bytes(),
    ));
    let v0 = std::fs::read(fixture("snapshots/v0.json")).unwrap_or_default();
    out.push(("snapshot_import", "v0.json".into(), v0));

    // Audit exports: the demo's, a short one, an empty one; and substitutions of the demo's
    // (two bytes of position, one of value): a digit of a hash, a letter of a detail.
    out.push((
        "audit_export",
        "demo.json".into(),
        brain.audit_export().into_bytes(),
    ));
    out.push((
        "audit_export",
        "small.json".into(),
        small.audit_export().into_bytes(),
    ));
    out.push((
        "audit_export",
        "empty.json".into(),
        b"{\"entries\":[]}".to_vec(),
    ));
    out.push(("audit_export", "edit-0100.bin".into(), vec![100, 0, b'0']));
    out.push((
        "audit_export",
        "edit-0400.bin".into(),
        vec![0x90, 1, b'x', 0x10, 4, b'9'],
    ));

    // Policies: the default one written out, a partial one, an empty object, a strict one.
    let default = serde_json::to_string_pretty(&Policy::default()).unwrap_or_default();
    out.push(("policy_json", "default.json".into(), default.into_bytes()));
    out.push(("policy_json", "empty.json".into(), b"{}".to_vec()));
    out.push((
        "policy_json",
        "partial.json".into(),
        br#"{"ab":{"bandit_draws":50,"bandit_floor":0.1},"gates":{"min_accuracy":0.95,"safety_max_accuracy_drop":0.05,"srm_alpha":0.01}}"#.to_vec(),
    ));
    let mut strict = Policy::default();
    strict.promotion.primary_rate = 0.5;
    strict.ingest.allowed_sources.push("craigslist".into());
    let strict = serde_json::to_string(&strict).unwrap_or_default();
    out.push(("policy_json", "strict.json".into(), strict.into_bytes()));
    out
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn each_fuzz_seed_is_an_input_its_target_accepts() {
    let brain = Brain::demo(demo_start());
    let seeds = seeds();
    for (target, name, bytes) in &seeds {
        let text = String::from_utf8_lossy(bytes);
        match *target {
            "command_json" => {
                for line in text.lines() {
                    let parsed: Result<Envelope, _> = serde_json::from_str(line);
                    assert!(parsed.is_ok(), "{name}: {parsed:?}");
                }
            }
            "snapshot_import" => {
                let loaded = Brain::from_snapshot_json(&text).map(|mut b| b.confirm_log());
                assert!(matches!(loaded, Ok(Ok(_))), "{name}: {loaded:?}");
            }
            "audit_export" if name.ends_with(".json") => {
                assert!(audit::import(&text).is_ok(), "{name}");
            }
            "audit_export" => assert_eq!(bytes.len() % 3, 0, "{name}"),
            "policy_json" => {
                let policy: Result<Policy, _> = serde_json::from_str(&text);
                assert_eq!(
                    policy.map(|p| p.validate().is_ok()).ok(),
                    Some(true),
                    "{name}"
                );
            }
            other => panic!("no fuzz target {other}"),
        }
    }
    // The session's commands are all accepted on the demo brain, as the target runs them.
    let mut after = brain.clone();
    let session = seeds.iter().find(|(_, name, _)| name == "session.jsonl");
    for line in session
        .map(|s| String::from_utf8_lossy(&s.2).to_string())
        .unwrap_or_default()
        .lines()
    {
        assert!(after.execute_json(line).is_ok(), "{line}");
    }
    assert_eq!(after.log().len(), brain.log().len() + 3);

    if std::env::var_os("BRAIN_WRITE_FUZZ_SEEDS").is_some() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds");
        for (target, name, bytes) in &seeds {
            let dir = root.join(target);
            std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
            std::fs::write(dir.join(name), bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}
