//! The kernel cases of gpu_common/cases.rs (every GPU kernel against its CPU twin, with their
//! tolerances) inside a browser's WebGPU (headless Chromium with SwiftShader in CI), one test
//! per case, in a dedicated worker like the app's. Run with
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web_gpu`
//! (webdriver.json holds Chromium's WebGPU flags).
#![cfg(target_arch = "wasm32")]

#[macro_use]
#[path = "gpu_common/cases.rs"]
mod cases;

use std::cell::RefCell;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};
use weight_init_lab::backend::TrainOps;
use weight_init_lab::backend::cpu::CpuBackend;
use weight_init_lab::backend::gpu::{GpuBackend, MatmulKernel};

// WebGPU in a worker is reached through WorkerNavigator.
wasm_bindgen_test_configure!(run_in_dedicated_worker);

thread_local! {
    /// The worker's device, opened by the first test.
    static DEVICE: RefCell<Option<GpuBackend>> = const { RefCell::new(None) };
}

/// A backend of its own for each test, on one device: the kernels compile once per run, not
/// once per case (on SwiftShader that is most of a case's time). The device's errors are
/// shared too, so a case that breaks the device also fails the cases after it.
async fn gpu() -> GpuBackend {
    if let Some(gpu) = DEVICE.with_borrow(|device| device.as_ref().map(GpuBackend::sibling)) {
        return gpu;
    }
    let device = GpuBackend::new().await.expect("a WebGPU adapter (Chromium needs --enable-unsafe-webgpu)");
    console_log!("GPU backend: {}", device.name());
    let gpu = device.sibling();
    DEVICE.set(Some(device));
    gpu
}

macro_rules! browser_tests {
    ($($case:ident),* $(,)?) => {$(
        #[wasm_bindgen_test]
        async fn $case() {
            cases::$case(&mut CpuBackend::new(1), &mut gpu().await).await;
        }
    )*};
}

kernel_cases!(browser_tests);

/// The GPUs' shared-memory matrix product on SwiftShader too (the adapter's own is the direct
/// one), every form against the CPU.
#[wasm_bindgen_test]
async fn tiled_gemm_matches_cpu_in_every_form() {
    let tiled = gpu().await.with_matmul(MatmulKernel::Tiled).await.expect("the tiled shader compiles");
    let mut tiled = tiled;
    cases::gemm_matches_cpu_in_every_form(&mut CpuBackend::new(1), &mut tiled).await;
}
