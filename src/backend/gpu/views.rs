//! The reductions for the views, one kernel each: one workgroup of 256 per model where a
//! model's values are reduced to a few numbers (combined in workgroup memory), one invocation
//! per output float otherwise.

use super::kernels::{
    ColumnsParams, ConfusionParams, DeadUnitsParams, FingerprintsParams, HistogramParams, MomentsParams,
};
use super::{GpuBackend, MAX_BINS, MAX_CLASSES, UNUSED_OUTPUT, u};
use crate::backend::{Bins, Buf, Region, Shape, ViewOps};

impl ViewOps for GpuBackend {
    fn moments(&mut self, x: Buf, minus: Option<Buf>, s: Shape, out: Buf, at: Region) {
        let params = MomentsParams {
            models: u(s.models),
            len: u(s.rows * s.cols),
            has_minus: minus.is_some().into(),
            offset: u(at.offset),
            stride: u(at.stride),
        };
        // An absent `minus` is never read; any storage buffer fills its binding.
        let minus = minus.map_or(UNUSED_OUTPUT, |y| y.0);
        self.dispatch(&params, &[x.0, minus, out.0], [u(s.models), 1, 1]);
    }

    /// `bins.count` must be 1 to [`MAX_BINS`]: the kernel counts in a fixed workgroup array.
    fn histogram(&mut self, x: Buf, s: Shape, bins: Bins, out: Buf, at: Region) {
        assert!((1..=MAX_BINS).contains(&bins.count), "{} histogram bins (1 to {MAX_BINS})", bins.count);
        let params = HistogramParams {
            models: u(s.models),
            len: u(s.rows * s.cols),
            count: u(bins.count),
            symlog: bins.symlog.into(),
            lo: bins.lo,
            hi: bins.hi,
            offset: u(at.offset),
            stride: u(at.stride),
            data_range: bins.data_range.into(),
        };
        self.dispatch(&params, &[x.0, out.0], [u(s.models), 1, 1]);
    }

    fn dead_units(&mut self, x: Buf, s: Shape, out: Buf, at: Region) {
        let params = DeadUnitsParams {
            models: u(s.models),
            rows: u(s.rows),
            cols: u(s.cols),
            offset: u(at.offset),
            stride: u(at.stride),
        };
        self.dispatch(&params, &[x.0, out.0], [u(s.models), 1, 1]);
    }

    fn fingerprints(&mut self, x: Buf, bias: Buf, s: Shape, out: Buf) {
        let params = FingerprintsParams { models: u(s.models), rows: u(s.rows), cols: u(s.cols) };
        self.elementwise(&params, &[x.0, bias.0, out.0], s.models * s.cols);
    }

    /// `s.cols` must be 1 to [`MAX_CLASSES`]: the kernel counts in a fixed workgroup array.
    fn confusion(&mut self, logits: Buf, labels: Buf, s: Shape, out: Buf) {
        assert!((1..=MAX_CLASSES).contains(&s.cols), "{} classes for a confusion matrix (1 to {MAX_CLASSES})", s.cols);
        let params = ConfusionParams { models: u(s.models), rows: u(s.rows), cols: u(s.cols) };
        self.dispatch(&params, &[logits.0, labels.0, out.0], [u(s.models), 1, 1]);
    }

    fn columns(&mut self, x: Buf, s: Shape, cols: usize, out: Buf) {
        let params = ColumnsParams { models: u(s.models), rows: u(s.rows), cols: u(s.cols), taken: u(cols) };
        self.elementwise(&params, &[x.0, out.0], s.models * cols * s.rows);
    }
}
