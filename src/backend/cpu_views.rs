//! The CPU backend's reductions for the views: each model's values handed to its definition on
//! slices in [`super::reduce`], the results written where the caller asked.

use super::cpu::CpuBackend;
use super::reduce;
use super::{Bins, Buf, Region, Shape, ViewOps};

impl CpuBackend {
    /// Writes `f(me, model, values per model)` of each model at its place in `out`.
    fn per_model(&mut self, out: Buf, at: Region, s: Shape, f: impl Fn(&Self, usize, usize) -> Vec<f32>) {
        self.with_out(out, |me, o| {
            for m in 0..s.models {
                let values = f(me, m, s.rows * s.cols);
                o[at.offset + m * at.stride..][..values.len()].copy_from_slice(&values);
            }
        });
    }
}

impl ViewOps for CpuBackend {
    fn moments(&mut self, x: Buf, minus: Option<Buf>, s: Shape, out: Buf, at: Region) {
        self.per_model(out, at, s, |me, m, len| {
            reduce::moments(&me.buf(x)[m * len..][..len], minus.map(|y| &me.buf(y)[m * len..][..len])).to_vec()
        });
    }

    fn histogram(&mut self, x: Buf, s: Shape, bins: Bins, out: Buf, at: Region) {
        self.per_model(out, at, s, |me, m, len| reduce::histogram(&me.buf(x)[m * len..][..len], &bins));
    }

    fn dead_units(&mut self, x: Buf, s: Shape, out: Buf, at: Region) {
        self.per_model(out, at, s, |me, m, len| vec![reduce::dead_units(&me.buf(x)[m * len..][..len], s.cols)]);
    }

    fn fingerprints(&mut self, x: Buf, bias: Buf, s: Shape, out: Buf) {
        let at = Region { offset: 0, stride: s.cols * 2 };
        self.per_model(out, at, s, |me, m, len| {
            let (w, b) = (&me.buf(x)[m * len..][..len], &me.buf(bias)[m * s.cols..]);
            let unit = |c: usize| reduce::fingerprint(w.iter().skip(c).step_by(s.cols).copied().chain([b[c]]));
            (0..s.cols).flat_map(unit).collect()
        });
    }

    fn confusion(&mut self, logits: Buf, labels: Buf, s: Shape, out: Buf) {
        let square = s.cols * s.cols;
        self.with_out(out, |me, o| {
            for m in 0..s.models {
                let z = &me.buf(logits)[m * s.rows * s.cols..][..s.rows * s.cols];
                reduce::confusion(z, &me.buf(labels)[..s.rows], s.cols, &mut o[m * square..][..square]);
            }
        });
    }

    fn columns(&mut self, x: Buf, s: Shape, cols: usize, out: Buf) {
        let at = Region { offset: 0, stride: cols * s.rows };
        self.per_model(out, at, s, |me, m, len| reduce::columns(&me.buf(x)[m * len..][..len], s.cols, cols));
    }
}
