//! A stable sort for the statistics (drift samples, p-values by rank).
//!
//! Why not `slice::sort_by`: each of its instantiations brings the standard
//! library's driftsort and quicksort (about 3 KB of wasm each, two here), a
//! sixth of the lite JS package's statistics code. A bottom-up merge sort is
//! a few hundred bytes, stable like `sort_by` (so every result is the same,
//! ties included), and `O(n log n)` on the sample sizes drift tests see.

/// Sorts `v` stably: `less(a, b)` says `a` goes before `b`; equal elements
/// keep their order.
pub(crate) fn stable_sort_by<T: Copy>(v: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    let n = v.len();
    let mut from = v.to_vec();
    let mut to = v.to_vec();
    let mut width = 1;
    while width < n {
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            merge(&from[lo..mid], &from[mid..hi], &mut to[lo..hi], &mut less);
            lo = hi;
        }
        std::mem::swap(&mut from, &mut to);
        width *= 2;
    }
    v.copy_from_slice(&from);
}

/// Merges the sorted runs `left` and `right` into `out` (`left.len() +
/// right.len()` long); on ties `left` goes first.
fn merge<T: Copy>(left: &[T], right: &[T], out: &mut [T], less: &mut impl FnMut(&T, &T) -> bool) {
    let (mut l, mut r) = (left.iter().peekable(), right.iter().peekable());
    for slot in out {
        let take_right = match (l.peek(), r.peek()) {
            (Some(a), Some(b)) => less(b, a),
            (None, _) => true,
            (Some(_), None) => false,
        };
        let next = if take_right { r.next() } else { l.next() };
        if let Some(&x) = next {
            *slot = x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same order as the standard library's stable sort, ties
        /// included (keys with few distinct values, tagged by position).
        #[test]
        fn matches_std_stable_sort(keys in proptest::collection::vec(0u8..6, 0..200)) {
            let tagged: Vec<(u8, usize)> = keys.iter().copied().zip(0..).collect();
            let mut ours = tagged.clone();
            stable_sort_by(&mut ours, |a, b| a.0 < b.0);
            let mut std_sorted = tagged;
            std_sorted.sort_by_key(|t| t.0);
            prop_assert_eq!(ours, std_sorted);
        }

        #[test]
        fn sorts_floats_as_total_cmp(xs in proptest::collection::vec(any::<f64>(), 0..200)) {
            let mut ours = xs.clone();
            stable_sort_by(&mut ours, |a, b| a.total_cmp(b).is_lt());
            let mut std_sorted = xs;
            std_sorted.sort_by(f64::total_cmp);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            prop_assert_eq!(bits(&ours), bits(&std_sorted));
        }
    }
}
