//! `NDJIT_THREADS` asking for more threads than the OS will start builds a
//! capped pool instead of panicking (issue 15). Its own test binary: the
//! pool is process-wide and built on first use.

use ndjit::Array;

#[test]
fn an_absurd_thread_count_is_capped() {
    std::env::set_var("NDJIT_THREADS", "20000");
    let sum = Array::arange(0.0, 1e6, 1.0).sum(..).item::<f64>().unwrap();
    assert_eq!(sum, 499_999_500_000.0);
    assert!((1..=1024).contains(&ndjit::runtime::thread_count()));
}
