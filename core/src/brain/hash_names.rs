//! The names a command is hashed under in its audit entry.
//!
//! Each audit leaf binds `command_hash`, the SHA-256 of the command's JSON,
//! and browsers keep the audit root as a witness. Schema 4 renamed command
//! fields to one id convention (`script` -> `script_id`, `source` ->
//! `source_id`, `experiment` -> `experiment_id` in A/B's counts and variants,
//! a template's `name` -> `template_id`). Hashing the new wire names would
//! give every entry recorded before a new hash: a schema-3 export would
//! import to another audit root, its witness would no longer match, and
//! executing its log again would not give its events (the entries differ).
//!
//! So the hash is not over the wire names but over a fixed set of names:
//! the commands renamed by schema 4 are hashed under their schema-3 names,
//! whatever their JSON says, before or after the migration. This table is
//! frozen history, not a second vocabulary: a command added later is hashed
//! under its own names and never appears here, and a future rename adds its
//! fields here with the names they had.

use super::Envelope;
use crate::brain::Command;
use crate::{ab, canon, ingest, packets, promotion};

/// `(wire name, hashed name)` for schema 4's renamed fields of `command`.
fn hashed_names(command: &Command) -> &'static [(&'static str, &'static str)] {
    const EXPERIMENT: &[(&str, &str)] = &[("experiment_id", "experiment")];
    const SCRIPT: &[(&str, &str)] = &[("script_id", "script")];
    const SOURCE: &[(&str, &str)] = &[("source_id", "source")];
    const TEMPLATE: &[(&str, &str)] = &[("template_id", "name")];
    match command {
        Command::Ab(ab::Command::RegisterVariant { .. } | ab::Command::RecordCounts { .. }) => {
            EXPERIMENT
        }
        Command::Promotion(
            promotion::Command::RegisterScript { .. }
            | promotion::Command::AddScriptVersion { .. }
            | promotion::Command::EvaluateScript { .. }
            | promotion::Command::RetireScript { .. },
        ) => SCRIPT,
        Command::Ingest(
            ingest::Command::AddSource { .. }
            | ingest::Command::RemoveSource { .. }
            | ingest::Command::SuspendSource { .. }
            | ingest::Command::IngestData { .. },
        ) => SOURCE,
        Command::Packets(packets::Command::AddTemplate { .. }) => TEMPLATE,
        _ => &[],
    }
}

/// The command hash of an audit entry: SHA-256 of the envelope's JSON with
/// schema 4's renamed fields under their schema-3 names (see the module doc).
pub(crate) fn command_hash(env: &Envelope) -> String {
    match hashed_names(&env.command) {
        [] => canon::sha256_json(env),
        names => canon::sha256_json_renamed(env, names),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    fn env(json: &str) -> Envelope {
        match serde_json::from_str(json) {
            Ok(e) => e,
            Err(e) => panic!("{json}: {e}"),
        }
    }

    #[test]
    fn a_renamed_command_hashes_as_its_schema_3_json_and_others_as_their_json() {
        let old = r#"{"at":"2026-03-01T09:00:00Z","actor":null,"block":"promotion","type":"RegisterScript","script":"s","body":"b"}"#;
        let read = env(old);
        // The JSON now says `script_id` ...
        let written = serde_json::to_string(&read).unwrap_or_default();
        assert_eq!(written, old.replace(r#""script""#, r#""script_id""#));
        // ... the hash is the schema-3 bytes', whichever name was sent.
        let mut h = Sha256::new();
        h.update(old.as_bytes());
        assert_eq!(command_hash(&read), canon::hex(&h.finalize()));
        assert_eq!(command_hash(&env(&written)), command_hash(&read));
        // A command without renamed fields hashes its JSON as it is.
        let model = env(
            r#"{"at":"2026-03-01T09:00:00Z","block":"models","type":"RegisterModel","model_id":"m","name":"n"}"#,
        );
        assert_eq!(command_hash(&model), canon::sha256_json(&model));
    }
}
