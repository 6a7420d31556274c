//! The audit log's Merkle queries on `Brain`: the tree head, inclusion and
//! consistency proofs, and the check of a root published earlier against
//! the live log. Kept apart from the reducer (`brain`), which only seals one
//! entry per command; the rules live in `audit` and `merkle`.

use crate::audit;
use crate::error::BrainError;

impl crate::brain::Brain {
    /// The audit log's tree head (size, root): the log's identity, to copy
    /// and publish. Computing it costs nothing: the last entry records it.
    pub fn audit_root(&self) -> audit::TreeHead {
        self.state().audit.tree_head()
    }

    /// The inclusion proof of audit entry `index` (its `seq`) in the current
    /// log, which anyone holding the root can check with hashes alone.
    pub fn prove_entry(&self, index: u64) -> Result<audit::InclusionProof, BrainError> {
        Ok(self.state().audit.prove_entry(index)?)
    }

    /// The consistency proof from the log's first `old_size` entries to the
    /// current log: that the log only grew since a head of that size.
    pub fn consistency_proof(&self, old_size: u64) -> Result<audit::ConsistencyProof, BrainError> {
        Ok(self.state().audit.consistency_proof(old_size)?)
    }

    /// Checks that the live log extends `head` (a root published or kept
    /// earlier): an `Err` says whether it was cut off or rewritten.
    pub fn check_audit_root(&self, head: &audit::TreeHead) -> Result<(), BrainError> {
        Ok(self.state().audit.check_head(head)?)
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::{self, TreeHead};
    use crate::brain::{Brain, Command, Envelope};
    use chrono::{TimeZone, Utc};

    fn brain(n: u32) -> Brain {
        let mut brain = Brain::new();
        for i in 0..n {
            let at = Utc
                .with_ymd_and_hms(2026, 1, 1, 9, i, 0)
                .single()
                .unwrap_or_default();
            let env = Envelope::new(at, Command::Audit(audit::Command::TakeSnapshot)).by("ops");
            assert!(brain.execute(env).is_ok());
        }
        brain
    }

    #[test]
    fn the_root_grows_with_the_log_and_every_older_root_is_proved_consistent() {
        let mut heads = vec![brain(0).audit_root()];
        let mut b = Brain::new();
        for i in 0..9u32 {
            let at = Utc
                .with_ymd_and_hms(2026, 1, 1, 9, i, 0)
                .single()
                .unwrap_or_default();
            let env = Envelope::new(at, Command::Audit(audit::Command::TakeSnapshot));
            assert!(b.execute(env).is_ok());
            heads.push(b.audit_root());
        }
        assert_eq!(heads[0].root, audit::EMPTY_ROOT);
        for (size, head) in heads.iter().enumerate() {
            assert_eq!(head.size, size as u64);
            assert_eq!(b.check_audit_root(head), Ok(()), "size {size}");
            if size > 0 {
                let proof = b
                    .consistency_proof(size as u64)
                    .unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(&proof.old, head);
                assert_eq!(
                    audit::verify_consistency(head, &b.audit_root(), &proof.path),
                    Ok(())
                );
            }
        }
        for index in 0..9 {
            let proof = b.prove_entry(index).unwrap_or_else(|e| panic!("{e}"));
            let entry = &b.state().audit.entries[index as usize];
            assert_eq!(proof.leaf_hash, audit::entry_hash(entry));
            assert_eq!(
                audit::verify_inclusion(&proof.leaf_hash, index, &proof.path, &b.audit_root()),
                Ok(())
            );
        }
    }

    #[test]
    fn a_root_the_live_log_does_not_extend_is_refused_with_what_differs() {
        let b = brain(5);
        let other = brain(6);
        let longer = other.audit_root();
        assert_eq!(
            b.check_audit_root(&longer).map_err(|e| e.code()),
            Err("audit_truncated")
        );
        let mut forged = b.audit_root();
        forged.root = other
            .consistency_proof(3)
            .map(|p| p.new.root)
            .unwrap_or_default();
        forged.size = 3;
        assert_eq!(
            b.check_audit_root(&forged).map_err(|e| e.code()),
            Err("audit_rewritten")
        );
        let bad = TreeHead {
            size: 2,
            root: "not hex".into(),
        };
        assert_eq!(
            b.check_audit_root(&bad).map_err(|e| e.code()),
            Err("audit_not_a_hash")
        );
        assert!(b.prove_entry(5).is_err());
        assert!(b.consistency_proof(6).is_err());
    }
}
