//! A small deterministic random number generator (SplitMix64), so that a generated library
//! depends on nothing but its seed: not on a crate version, a platform or the thread count.

pub(crate) struct Rng {
    state: u64,
}

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; `n` MUST be positive.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        // Multiply-shift keeps the bias negligible without a rejection loop.
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A number in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo) as usize + 1) as u32
    }

    /// True with the given probability in percent.
    pub(crate) fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent as usize
    }

    /// A uniformly chosen element; `items` MUST NOT be empty.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An element chosen with probability proportional to its weight; the total weight
    /// MUST be positive.
    pub(crate) fn pick_weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u32 = items.iter().map(|(_, weight)| weight).sum();
        let mut ticket = self.below(total as usize) as u32;
        for (item, weight) in items {
            if ticket < *weight {
                return item;
            }
            ticket -= weight;
        }
        &items[items.len() - 1].0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let a: Vec<u64> = {
            let mut rng = Rng::new(7);
            (0..5).map(|_| rng.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut rng = Rng::new(7);
            (0..5).map(|_| rng.next_u64()).collect()
        };
        assert_eq!(
            a, b,
            "generated libraries must be reproducible from their seed"
        );
    }

    #[test]
    fn ranges_are_inclusive_and_stay_in_bounds() {
        let mut rng = Rng::new(1);
        let values: Vec<u32> = (0..2000).map(|_| rng.range(8, 10)).collect();
        assert!(
            values.iter().all(|v| (8..=10).contains(v)),
            "never out of range"
        );
        assert!(
            values.contains(&8) && values.contains(&10),
            "both ends are reachable"
        );
    }

    #[test]
    fn weights_shape_the_distribution() {
        let mut rng = Rng::new(3);
        let items = [("rare", 1), ("common", 9)];
        let common = (0..10_000)
            .filter(|_| *rng.pick_weighted(&items) == "common")
            .count();
        assert!(
            (8_500..9_500).contains(&common),
            "a 90% weight should win about 9,000 of 10,000 draws, got {common}"
        );
    }
}
