//! Merkle trees as RFC 6962 defines them (and Certificate Transparency and
//! transparency-dev use them): leaf hash `SHA-256(0x00 || leaf)`, node hash
//! `SHA-256(0x01 || left || right)`, the tree head of `n` leaves (MTH, no
//! padding), inclusion proofs (audit paths) and consistency proofs, and their
//! verifiers, which need nothing but hashes (RFC 9162 2.1.3.2 and 2.1.4.2).
//!
//! The audit trail (`audit`) is such a log: its tree head (size, root) is the
//! log's identity, so whoever kept an older head can check that a later log
//! extends it (not truncated, not rewritten). Two shapes: [`CompactRange`]
//! (the roots of the perfect subtrees of the whole log, O(log n) hashes) gives
//! the current root after each append without re-hashing the log; [`Tree`]
//! (every complete subtree, built from the leaf hashes) answers proofs for any
//! size.

use sha2::{Digest, Sha256};

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// Proof faults, and proofs asked for sizes the tree does not have.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The leaf index is not below the tree size.
    #[error("leaf {index} is not in a tree of {size} leaves")]
    IndexOutOfRange {
        /// The index asked for.
        index: u64,
        /// The tree size.
        size: u64,
    },
    /// A size larger than the tree, or an older size above the newer one.
    #[error("tree size {size} is out of range (0 to {max})")]
    SizeOutOfRange {
        /// The size asked for.
        size: u64,
        /// The largest size allowed.
        max: u64,
    },
    /// The proof has the wrong number of hashes for the sizes.
    #[error("the proof has {got} hashes, sizes {detail} need {want}")]
    ProofLength {
        /// Hashes given.
        got: usize,
        /// Hashes needed.
        want: usize,
        /// The sizes (or index and size) the proof is for.
        detail: String,
    },
    /// A consistency proof from the empty tree proves nothing (any tree
    /// extends it), so none is accepted.
    #[error("a consistency proof from an empty tree proves nothing")]
    FromEmptyTree,
    /// The proof does not lead to the root: the leaf is not in that tree, or
    /// the trees are not one the extension of the other.
    #[error("the proof does not match the root{which}")]
    RootMismatch {
        /// Which root, for consistency proofs (" (old)" or " (new)").
        which: &'static str,
    },
}

impl Error {
    /// Stable code for JS and the console.
    pub fn code(&self) -> &'static str {
        match self {
            Error::IndexOutOfRange { .. } => "merkle_index_out_of_range",
            Error::SizeOutOfRange { .. } => "merkle_size_out_of_range",
            Error::ProofLength { .. } => "merkle_proof_length",
            Error::FromEmptyTree => "merkle_from_empty_tree",
            Error::RootMismatch { .. } => "merkle_root_mismatch",
        }
    }
}

/// The root of the empty tree: SHA-256 of no bytes.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// RFC 6962 leaf hash: `SHA-256(0x00 || leaf)`. The prefix keeps a leaf from
/// passing for an inner node (second-preimage resistance).
pub fn leaf_hash(leaf: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(leaf);
    h.finalize().into()
}

/// RFC 6962 node hash: `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The largest power of two strictly below `n` (n > 1): where RFC 6962
/// splits a tree of `n` leaves.
fn split(n: u64) -> u64 {
    1u64 << (63 - (n - 1).leading_zeros())
}

/// The roots of the perfect subtrees that make up a tree of `size` leaves,
/// left to right (one per set bit of `size`): enough to append a leaf and to
/// give the root, in O(log n) hashes, without the leaves.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompactRange {
    size: u64,
    /// (height, root) of each perfect subtree, tallest first.
    peaks: Vec<(u32, Hash)>,
}

impl CompactRange {
    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends a leaf hash: merges equal-height peaks (amortised one node hash).
    pub fn append(&mut self, leaf: Hash) {
        let mut node = (0u32, leaf);
        while let Some(&(height, left)) = self.peaks.last() {
            if height != node.0 {
                break;
            }
            self.peaks.pop();
            node = (height + 1, node_hash(&left, &node.1));
        }
        self.peaks.push(node);
        self.size += 1;
    }

    /// The tree head's root (MTH): the peaks folded right to left.
    pub fn root(&self) -> Hash {
        let mut peaks = self.peaks.iter().rev();
        match peaks.next() {
            None => empty_root(),
            Some(&(_, last)) => peaks.fold(last, |acc, (_, left)| node_hash(left, &acc)),
        }
    }
}

/// Every complete subtree of a tree of leaf hashes: `levels[k][i]` is the
/// root of the perfect subtree of `2^k` leaves starting at leaf `i * 2^k`.
/// Any range RFC 6962's recursion asks for is then O(log n) lookups.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tree {
    levels: Vec<Vec<Hash>>,
}

impl Tree {
    /// A tree over leaf hashes (n - 1 node hashes).
    pub fn from_leaf_hashes(leaves: Vec<Hash>) -> Tree {
        let mut tree = Tree {
            levels: vec![Vec::new()],
        };
        tree.levels.reserve(64);
        for leaf in leaves {
            tree.append(leaf);
        }
        tree
    }

    /// Appends a leaf hash.
    pub fn append(&mut self, leaf: Hash) {
        let mut node = leaf;
        let mut level = 0;
        loop {
            if self.levels.len() == level {
                self.levels.push(Vec::new());
            }
            let Some(row) = self.levels.get_mut(level) else {
                return;
            };
            row.push(node);
            if row.len() % 2 == 1 {
                return;
            }
            let (Some(left), Some(right)) = (row.get(row.len() - 2), row.last()) else {
                return;
            };
            node = node_hash(left, right);
            level += 1;
        }
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.levels.first().map_or(0, |l| l.len() as u64)
    }

    /// The leaf hash at `index`.
    pub fn leaf(&self, index: u64) -> Option<Hash> {
        self.node(0, index)
    }

    fn node(&self, level: u32, index: u64) -> Option<Hash> {
        let row = self.levels.get(usize::try_from(level).ok()?)?;
        row.get(usize::try_from(index).ok()?).copied()
    }

    /// MTH of leaves `lo..hi` (lo < hi <= size).
    fn range_root(&self, lo: u64, hi: u64) -> Hash {
        let n = hi - lo;
        if n.is_power_of_two() && lo.is_multiple_of(n) {
            if let Some(h) = self.node(n.trailing_zeros(), lo / n) {
                return h;
            }
        }
        if n == 1 {
            // Only reached for an index beyond the leaves, which callers rule out.
            return empty_root();
        }
        let k = split(n);
        node_hash(&self.range_root(lo, lo + k), &self.range_root(lo + k, hi))
    }

    /// The root of the first `size` leaves.
    pub fn root(&self, size: u64) -> Result<Hash, Error> {
        self.check_size(size, self.size())?;
        Ok(if size == 0 {
            empty_root()
        } else {
            self.range_root(0, size)
        })
    }

    fn check_size(&self, size: u64, max: u64) -> Result<(), Error> {
        if size > max || max > self.size() {
            return Err(Error::SizeOutOfRange {
                size,
                max: max.min(self.size()),
            });
        }
        Ok(())
    }

    /// The audit path of leaf `index` in the tree of the first `size` leaves
    /// (RFC 6962 2.1.1 PATH), from the leaf's sibling up.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, Error> {
        self.check_size(size, self.size())?;
        if index >= size {
            return Err(Error::IndexOutOfRange { index, size });
        }
        let mut proof = Vec::new();
        self.path(index, 0, size, &mut proof);
        Ok(proof)
    }

    /// PATH(m, D[lo:hi]), appended leaf-first.
    fn path(&self, m: u64, lo: u64, hi: u64, out: &mut Vec<Hash>) {
        let n = hi - lo;
        if n <= 1 {
            return;
        }
        let k = split(n);
        if m < k {
            self.path(m, lo, lo + k, out);
            out.push(self.range_root(lo + k, hi));
        } else {
            self.path(m - k, lo + k, hi, out);
            out.push(self.range_root(lo, lo + k));
        }
    }

    /// The consistency proof between the trees of the first `old` and
    /// `new` leaves (RFC 6962 2.1.2 PROOF); empty when `old` is 0 or `new`.
    pub fn consistency_proof(&self, old: u64, new: u64) -> Result<Vec<Hash>, Error> {
        self.check_size(new, self.size())?;
        self.check_size(old, new)?;
        let mut proof = Vec::new();
        if old > 0 && old < new {
            self.subproof(old, 0, new, true, &mut proof);
        }
        Ok(proof)
    }

    /// SUBPROOF(m, D[lo:hi], b), appended bottom-first.
    fn subproof(&self, m: u64, lo: u64, hi: u64, whole: bool, out: &mut Vec<Hash>) {
        let n = hi - lo;
        if m == n {
            if !whole {
                out.push(self.range_root(lo, hi));
            }
            return;
        }
        let k = split(n);
        if m <= k {
            self.subproof(m, lo, lo + k, whole, out);
            out.push(self.range_root(lo + k, hi));
        } else {
            self.subproof(m - k, lo + k, hi, false, out);
            out.push(self.range_root(lo, lo + k));
        }
    }
}

/// Checks that `leaf` is leaf `index` of the tree of `size` leaves whose root
/// is `root`, given its audit path (RFC 9162 2.1.3.2).
pub fn verify_inclusion(
    leaf: &Hash,
    index: u64,
    size: u64,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), Error> {
    if index >= size {
        return Err(Error::IndexOutOfRange { index, size });
    }
    let want = inclusion_len(index, size);
    if proof.len() != want {
        return Err(Error::ProofLength {
            got: proof.len(),
            want,
            detail: format!("(leaf {index} of {size})"),
        });
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if s == 0 {
            return Err(Error::RootMismatch { which: "" });
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    if s == 0 && r == *root {
        Ok(())
    } else {
        Err(Error::RootMismatch { which: "" })
    }
}

/// The length of an audit path: the levels where leaf `index` has a
/// sibling in a tree of `size` leaves.
fn inclusion_len(index: u64, size: u64) -> usize {
    let inner = 64 - (index ^ (size - 1)).leading_zeros();
    let border = (index >> inner).count_ones();
    (inner + border) as usize
}

/// Checks that the tree (`new_size`, `new_root`) extends the tree
/// (`old_size`, `old_root`), given a consistency proof (RFC 9162 2.1.4.2;
/// equal sizes need an empty proof and equal roots).
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), Error> {
    if old_size > new_size {
        return Err(Error::SizeOutOfRange {
            size: old_size,
            max: new_size,
        });
    }
    let detail = || format!("({old_size} to {new_size})");
    if old_size == new_size {
        if !proof.is_empty() {
            return Err(Error::ProofLength {
                got: proof.len(),
                want: 0,
                detail: detail(),
            });
        }
        return if old_root == new_root {
            Ok(())
        } else {
            Err(Error::RootMismatch { which: "" })
        };
    }
    if old_size == 0 {
        return Err(Error::FromEmptyTree);
    }
    // The hashes a proof must have: the new tree's levels above the old
    // tree's right border, plus the old tree's peaks below it, less one when
    // the old tree is a perfect subtree (its root is then the first peak).
    let inner = 64 - ((old_size - 1) ^ (new_size - 1)).leading_zeros();
    let shift = (old_size - 1).trailing_ones().min(inner);
    let border = ((old_size - 1) >> inner).count_ones();
    let want = (inner - shift + border + u32::from(!old_size.is_power_of_two())) as usize;
    if proof.len() != want {
        return Err(Error::ProofLength {
            got: proof.len(),
            want,
            detail: detail(),
        });
    }
    let mut path = proof.iter();
    let first = if old_size.is_power_of_two() {
        *old_root
    } else {
        match path.next() {
            Some(h) => *h,
            None => return Err(Error::RootMismatch { which: " (old)" }),
        }
    };
    let (mut f, mut s) = (old_size - 1, new_size - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (first, first);
    for c in path {
        if s == 0 {
            return Err(Error::RootMismatch { which: " (new)" });
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    if fr != *old_root {
        return Err(Error::RootMismatch { which: " (old)" });
    }
    if sr != *new_root || s != 0 {
        return Err(Error::RootMismatch { which: " (new)" });
    }
    Ok(())
}

/// Lower-case hex of a hash.
pub fn to_hex(hash: &Hash) -> String {
    crate::canon::hex(hash)
}

/// Reads a hash from 64 hex digits (either case); `None` otherwise.
pub fn from_hex(text: &str) -> Option<Hash> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let digit = |c: u8| {
        char::from(c)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        let (hi, lo) = (pair.first().copied()?, pair.get(1).copied()?);
        *byte = (digit(hi)? << 4) | digit(lo)?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(n: u64) -> Tree {
        Tree::from_leaf_hashes((0..n).map(|i| leaf_hash(&i.to_le_bytes())).collect())
    }

    /// MTH straight from RFC 6962 2.1, on leaf hashes: the reference the
    /// level lookups and the compact range must agree with.
    fn mth(leaves: &[Hash]) -> Hash {
        match leaves.len() {
            0 => empty_root(),
            1 => leaves[0],
            n => {
                let k = split(n as u64) as usize;
                node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
            }
        }
    }

    #[test]
    fn the_compact_range_and_the_tree_give_the_recursive_root_at_every_size() {
        let leaves: Vec<Hash> = (0..70u64).map(|i| leaf_hash(&i.to_le_bytes())).collect();
        let mut range = CompactRange::default();
        let t = Tree::from_leaf_hashes(leaves.clone());
        assert_eq!(range.root(), empty_root());
        for n in 1..=leaves.len() {
            range.append(leaves[n - 1]);
            assert_eq!(range.root(), mth(&leaves[..n]), "size {n}");
            assert_eq!(t.root(n as u64), Ok(mth(&leaves[..n])), "size {n}");
        }
    }

    #[test]
    fn every_proof_of_a_70_leaf_tree_verifies_and_a_changed_hash_does_not() {
        let t = tree(70);
        for size in 1..=70 {
            let root = t.root(size).unwrap_or_default();
            for index in 0..size {
                let proof = t.inclusion_proof(index, size).unwrap_or_default();
                let leaf = t.leaf(index).unwrap_or_default();
                assert_eq!(verify_inclusion(&leaf, index, size, &proof, &root), Ok(()));
                let other = leaf_hash(b"other");
                assert!(verify_inclusion(&other, index, size, &proof, &root).is_err());
            }
            for old in 1..=size {
                let old_root = t.root(old).unwrap_or_default();
                let proof = t.consistency_proof(old, size).unwrap_or_default();
                assert_eq!(
                    verify_consistency(old, size, &old_root, &root, &proof),
                    Ok(()),
                    "{old} to {size}"
                );
                let mut bad = proof.clone();
                if let Some(h) = bad.first_mut() {
                    h[0] ^= 1;
                    assert!(verify_consistency(old, size, &old_root, &root, &bad).is_err());
                }
            }
        }
    }

    #[test]
    fn sizes_beyond_the_tree_are_refused() {
        let t = tree(5);
        assert_eq!(
            t.inclusion_proof(5, 5),
            Err(Error::IndexOutOfRange { index: 5, size: 5 })
        );
        assert_eq!(t.root(6), Err(Error::SizeOutOfRange { size: 6, max: 5 }));
        assert_eq!(
            t.consistency_proof(4, 6),
            Err(Error::SizeOutOfRange { size: 6, max: 5 })
        );
        assert_eq!(
            t.consistency_proof(5, 4),
            Err(Error::SizeOutOfRange { size: 5, max: 4 })
        );
    }

    #[test]
    fn hex_round_trips_and_refuses_other_text() {
        let h = leaf_hash(b"x");
        assert_eq!(from_hex(&to_hex(&h)), Some(h));
        assert_eq!(from_hex(&to_hex(&h).to_uppercase()), Some(h));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex(&"g".repeat(64)), None);
    }
}
