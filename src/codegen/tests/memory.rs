//! Compiled kernels as shared handles. That dropping them frees their code
//! is checked by tests/cache.rs, in a process of its own: resident memory
//! is only a clean signal where no other test allocates meanwhile (and the
//! runtime keeps large freed buffers for reuse).

#[test]
fn compiled_kernels_are_shared_across_threads() {
    fn send_and_sync<T: Send + Sync>() {}
    send_and_sync::<super::super::CompiledKernel>();
}
