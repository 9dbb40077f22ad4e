//! `read`: copy into a staging buffer, submit, map. The returned future owns everything it
//! needs (never `self`); natively the device is waited on before returning, in the browser
//! the future completes from `map_async`'s callback.

use super::setup::lock;
use super::{Faults, GpuBackend};
use crate::backend::{BackendError, ReadFuture};
use futures_channel::oneshot;
use std::sync::{Arc, Mutex};

impl GpuBackend {
    pub(super) fn read_slot(&mut self, slot: u32) -> ReadFuture {
        let size = (self.slots[slot as usize].len * 4) as u64;
        if size == 0 {
            return Box::pin(std::future::ready(Ok(Vec::new())));
        }
        let staging = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("read"),
            size,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        self.recorder.copy(&self.slots[slot as usize].buffer, 0, &staging, 0, size);
        self.flush();
        let (tx, rx) = oneshot::channel();
        staging.slice(..).map_async(wgpu::MapMode::Read, move |result| {
            // The receiver is gone only if the future was dropped: nobody wants the result.
            let _ = tx.send(result);
        });
        #[cfg(not(target_arch = "wasm32"))]
        let waited = self.device.poll(wgpu::PollType::wait_indefinitely()).map(drop).map_err(|e| e.to_string());
        #[cfg(target_arch = "wasm32")]
        let waited: Result<(), String> = Ok(());
        let faults = Arc::clone(&self.faults);
        Box::pin(async move {
            let mapped = match waited {
                Ok(()) => match rx.await {
                    Ok(result) => result.map_err(|e| e.to_string()),
                    Err(_) => Err("the device dropped the read".to_string()),
                },
                Err(e) => Err(e),
            };
            // A fault explains a failed map better than the map's own error, and makes a
            // result that did come back untrustworthy.
            check(&faults)?;
            mapped.map_err(BackendError::Readback)?;
            let data = {
                let view = staging.slice(..).get_mapped_range().map_err(|e| BackendError::Readback(e.to_string()))?;
                // The mapped range's alignment is the backend's to choose (in the browser it is
                // a copy), so the bytes are copied out rather than cast in place.
                bytemuck::pod_collect_to_vec::<u8, f32>(&view)
            };
            staging.unmap();
            Ok(data)
        })
    }
}

/// Device loss, or the first error any earlier call raised.
fn check(faults: &Mutex<Faults>) -> Result<(), BackendError> {
    let f = lock(faults);
    if let Some(reason) = &f.lost {
        return Err(BackendError::DeviceLost(reason.clone()));
    }
    if let Some(error) = &f.error {
        return Err(BackendError::Readback(format!("an earlier GPU call failed: {error}")));
    }
    Ok(())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::backend::{BackendError, TrainOps};

    /// A lost device is reported by the next read as such, not as a panic or garbage.
    #[test]
    fn read_after_device_loss_reports_it() {
        let Some(mut gpu) = super::super::test_backend() else {
            return;
        };
        let buf = gpu.alloc(4);
        gpu.fill(buf, 1.0);
        gpu.device.destroy();
        match pollster::block_on(gpu.read(buf)) {
            Err(BackendError::DeviceLost(_)) => {}
            other => panic!("expected DeviceLost, got {other:?}"),
        }
    }
}
