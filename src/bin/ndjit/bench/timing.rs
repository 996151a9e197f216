//! Timing repeated runs: the median, the fastest and the slowest.

use std::time::{Duration, Instant};

/// The times of a number of runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timing {
    /// The median (the mean of the two middle runs for an even count).
    pub median: Duration,
    /// The fastest run.
    pub min: Duration,
    /// The slowest run.
    pub max: Duration,
}

impl Timing {
    /// The summary of `times`; `None` if there are none.
    pub fn of(mut times: Vec<Duration>) -> Option<Timing> {
        times.sort_unstable();
        let n = times.len();
        let median = match n {
            0 => return None,
            _ if n % 2 == 1 => times[n / 2],
            _ => (times[n / 2 - 1] + times[n / 2]) / 2,
        };
        Some(Timing {
            median,
            min: times[0],
            max: times[n - 1],
        })
    }
}

/// Times `repeats` (at least one) calls of `run`, each on its own; what a
/// call returns is dropped after its clock stops.
pub fn time_runs<T, E>(repeats: usize, mut run: impl FnMut() -> Result<T, E>) -> Result<Timing, E> {
    let mut times = Vec::with_capacity(repeats);
    for _ in 0..repeats.max(1) {
        let start = Instant::now();
        let value = run()?;
        times.push(start.elapsed());
        drop(value);
    }
    Ok(Timing::of(times).expect("at least one run"))
}

/// A duration with a unit that suits it: `850 ns`, `12.3 µs`, `4.56 ms`, `1.23 s`.
pub fn human(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds < 1e-6 {
        format!("{} ns", duration.as_nanos())
    } else if seconds < 1e-3 {
        format!("{:.1} µs", seconds * 1e6)
    } else if seconds < 1.0 {
        format!("{:.2} ms", seconds * 1e3)
    } else {
        format!("{seconds:.2} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summarizes_odd_and_even_counts() {
        let ms = Duration::from_millis;
        let odd = Timing::of(vec![ms(3), ms(1), ms(2)]).unwrap();
        assert_eq!((odd.median, odd.min, odd.max), (ms(2), ms(1), ms(3)));
        assert_eq!(
            Timing::of(vec![ms(4), ms(1), ms(2), ms(3)]).unwrap().median,
            Duration::from_micros(2500)
        );
        assert_eq!(Timing::of(Vec::new()), None);
    }

    #[test]
    fn picks_a_readable_unit() {
        assert_eq!(human(Duration::from_nanos(850)), "850 ns");
        assert_eq!(human(Duration::from_nanos(12_345)), "12.3 µs");
        assert_eq!(human(Duration::from_micros(4_560)), "4.56 ms");
        assert_eq!(human(Duration::from_millis(1_234)), "1.23 s");
    }
}
