//! The client's one backoff rule, shared by retries ([`crate::retry`]), batch pauses on rate
//! limits ([`crate::batch`]) and polls after failures ([`crate::follower`]).
//!
//! A delay doubles from its initial value, at most six times, and never exceeds its cap. Only
//! retries add jitter (up to 25% less), so that many clients retrying one outage spread out; a
//! batch pause and a follower's poll are already one loop per process.

use std::time::Duration;

/// Doublings at most: `initial * 64` before the cap.
const MAX_DOUBLINGS: u32 = 6;

/// `min(initial * 2^min(n, 6), cap)`: the delay after `n` failures in a row (the first
/// failure is `n = 0`).
pub(crate) fn exponential(initial: Duration, cap: Duration, n: u32) -> Duration {
    initial.saturating_mul(1 << n.min(MAX_DOUBLINGS)).min(cap)
}

/// `delay` less up to 25%, at random.
pub(crate) fn with_jitter(delay: Duration) -> Duration {
    delay.mul_f64(1.0 - 0.25 * fastrand::f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_six_times_at_most_and_stops_at_the_cap() {
        let ms = Duration::from_millis;
        let cap = Duration::from_secs(60);
        let delays: Vec<_> = (0..9).map(|n| exponential(ms(100), cap, n)).collect();
        assert_eq!(
            delays,
            [100, 200, 400, 800, 1600, 3200, 6400, 6400, 6400].map(ms)
        );
        assert_eq!(exponential(ms(500), ms(8000), 10), ms(8000));
        assert_eq!(exponential(Duration::MAX, cap, u32::MAX), cap);
        for _ in 0..100 {
            let d = with_jitter(ms(1000));
            assert!(d <= ms(1000) && d >= ms(750), "{d:?}");
        }
    }
}
