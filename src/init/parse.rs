//! Initializer ids as people write them (`uniform:-0.1:0.1`, `gain:0.5`) and the checks that
//! their parameters can be honoured.

use super::{InitError, Initializer, MAX_NORMAL_STD};

/// The gains `gain:G` accepts: its range `±G/√n` stays far inside f32's at both ends, so the
/// sweep's "too large" end diverges in training, not in the initializer, and a tiny gain
/// never rounds to an empty range (which no distribution can draw from).
pub const MIN_GAIN: f32 = 1e-20;
pub const MAX_GAIN: f32 = 1e6;

impl Initializer {
    /// Parses an [`id`](Self::id): a named initializer, or `constant:C`, `uniform:A:B`, `normal:STD` or
    /// `gain:G` with numbers as Rust writes them (`-0.1`, `.5`, `1e-3`) and no spaces
    /// inside; whitespace around the whole id is ignored.
    ///
    /// # Errors
    /// [`InitError::Unknown`] for a name it does not know; [`InitError::BadParameter`] for a
    /// parameter that is missing, extra, empty, has a space, is not a number, is not finite,
    /// lies outside f32's range (overflows, or underflows to 0), or that
    /// [`check`](Self::check) refuses.
    pub fn parse(id: &str) -> Result<Initializer, InitError> {
        let id = id.trim();
        if let Some(found) = Self::all().into_iter().find(|i| i.id() == id) {
            return Ok(found);
        }
        let mut parts = id.split(':');
        let name = parts.next().unwrap_or_default();
        let args: Vec<&str> = parts.collect();
        let (form, params): (&str, &[&str]) = match name {
            "constant" => ("constant:C", &["C"]),
            "uniform" => ("uniform:A:B", &["A", "B"]),
            "normal" => ("normal:STD", &["STD"]),
            "gain" => ("gain:G", &["G"]),
            _ => return Err(InitError::Unknown(id.into())),
        };
        let bad = |problem: String| InitError::BadParameter { id: id.into(), problem };
        if args.len() != params.len() {
            return Err(bad(format!(
                "expected `{form}`: {} number(s) after `{name}:`, found {}",
                params.len(),
                args.len()
            )));
        }
        let nums = params
            .iter()
            .zip(&args)
            .map(|(param, text)| parse_f32(text).map_err(|problem| bad(format!("in `{form}`, {param} {problem}"))))
            .collect::<Result<Vec<f32>, InitError>>()?;
        // `nums` has as many entries as the form has parameters.
        let init = match name {
            "constant" => Initializer::Constant(nums[0]),
            "uniform" => Initializer::CustomUniform { low: nums[0], high: nums[1] },
            "gain" => Initializer::Gain(nums[0]),
            _ => Initializer::CustomNormal { std: nums[0] },
        };
        match init.problem() {
            Some(problem) => Err(bad(problem)),
            None => Ok(init),
        }
    }

    /// Whether the initializer's parameters can be honoured: a finite constant; a uniform
    /// range with finite bounds, `low < high` and a width `high − low` that is a finite f32;
    /// a normal with a finite σ, `0 < σ ≤` [`MAX_NORMAL_STD`]. Named initializers always
    /// pass. [`parse`](Self::parse) and `Trainer::new` call it, so a hand-built
    /// `CustomUniform { low: -3e38, high: 3e38 }` is refused rather than trained as something
    /// else.
    ///
    /// # Errors
    /// [`InitError::BadParameter`] naming the initializer and what is wrong.
    pub fn check(&self) -> Result<(), InitError> {
        match self.problem() {
            Some(problem) => Err(InitError::BadParameter { id: self.id(), problem }),
            None => Ok(()),
        }
    }

    /// What is wrong with the parameters, if anything (see [`check`](Self::check)).
    fn problem(&self) -> Option<String> {
        match *self {
            Initializer::Constant(c) if !c.is_finite() => {
                Some(format!("the constant must be a finite number, not {}", show(c)))
            }
            Initializer::CustomUniform { low, high } => {
                if !(low.is_finite() && high.is_finite()) {
                    Some(format!("the bounds must be finite numbers, not {} and {}", show(low), show(high)))
                } else if low >= high {
                    Some(format!("the lower bound {} must be below the upper bound {}", show(low), show(high)))
                } else if !(high - low).is_finite() {
                    Some(format!(
                        "the width {} − ({}) of the range exceeds f32's largest value ({}): \
                         no f32 uniform distribution spans it; narrow the range",
                        show(high),
                        show(low),
                        show(f32::MAX)
                    ))
                } else {
                    None
                }
            }
            Initializer::CustomNormal { std } => {
                if !std.is_finite() {
                    Some(format!("the standard deviation must be a finite number, not {}", show(std)))
                } else if std == 0.0 {
                    Some(
                        "σ = 0 is not a normal distribution (every weight would be 0); use `constant:0` for that"
                            .into(),
                    )
                } else if std < 0.0 {
                    Some(format!("the standard deviation must be positive, not {}", show(std)))
                } else if std > MAX_NORMAL_STD {
                    Some(format!(
                        "σ = {} is too large: normal draws reach beyond ±12σ, past f32's largest value ({}); \
                         σ must be at most {}",
                        show(std),
                        show(f32::MAX),
                        show(MAX_NORMAL_STD)
                    ))
                } else {
                    None
                }
            }
            Initializer::Gain(g) if !(MIN_GAIN..=MAX_GAIN).contains(&g) => Some(format!(
                "the gain must be from {} to {} (use `zeros` for all-zero weights), not {}",
                show(MIN_GAIN),
                show(MAX_GAIN),
                show(g)
            )),
            _ => None,
        }
    }
}

/// One parameter of a custom initializer as an f32, or what is wrong with its text (the
/// message continues the parameter's name: "A is empty", "B = `1e39` is beyond …").
fn parse_f32(text: &str) -> Result<f32, String> {
    if text.is_empty() {
        return Err("is empty".into());
    }
    // The digits before any exponent: `1e39` overflows to ∞ and `1e-50` rounds to 0, where
    // `inf` and `0e5` say what they mean.
    let mantissa = text.split(['e', 'E']).next().unwrap_or_default();
    let problem = match text.parse::<f32>() {
        _ if text.contains(char::is_whitespace) => {
            "contains a space; write ids without spaces, e.g. `uniform:-0.1:0.1`".into()
        }
        Err(_) => "is not a number".into(),
        Ok(v) if v.is_nan() || (v.is_infinite() && !mantissa.contains(|c: char| c.is_ascii_digit())) => {
            "is not a finite number".into()
        }
        Ok(v) if v.is_infinite() => format!("is beyond f32's range (±{})", show(f32::MAX)),
        Ok(v) if v == 0.0 && mantissa.contains(|c: char| matches!(c, '1'..='9')) => {
            "is too small for f32: it rounds to 0".into()
        }
        Ok(v) => return Ok(v),
    };
    Err(format!("= `{text}` {problem}"))
}

/// A number for a message or an id: exponent notation when very large or small (`1e20`, not
/// 21 digits), so an id reads as it was written and parses back to the same value.
pub(crate) fn show(x: f32) -> String {
    if x != 0.0 && x.is_finite() && !(1e-4..1e7).contains(&x.abs()) { format!("{x:e}") } else { format!("{x}") }
}
