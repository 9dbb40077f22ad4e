//! Shared by the native GPU tests: opening the device (or skipping) and blocking reads.

use weight_init_lab::backend::gpu::GpuBackend;
use weight_init_lab::backend::{Backend, Buf};

/// The GPU backend, or `None` (the test then passes as skipped) when this machine has no
/// adapter — unless `WIL_REQUIRE_GPU=1`, as `cargo xtask test` sets it unless `--no-gpu`,
/// where a missing GPU is a failure.
pub fn open_gpu() -> Option<GpuBackend> {
    match pollster::block_on(GpuBackend::new()) {
        Ok(gpu) => Some(gpu),
        Err(e) if std::env::var("WIL_REQUIRE_GPU").as_deref() == Ok("1") => {
            panic!("WIL_REQUIRE_GPU=1 but the GPU backend failed: {e}")
        }
        Err(e) => {
            eprintln!("skipped: {e}");
            None
        }
    }
}

pub fn read(b: &mut dyn Backend, buf: Buf) -> Vec<f32> {
    pollster::block_on(b.read(buf)).expect("read back")
}
