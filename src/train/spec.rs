//! A model of a run: an initializer *with* its activation, optimizer and hidden widths, each
//! the run's ([`TrainConfig`]) unless the model's id overrides it — `he-normal@tanh+sgd`,
//! `xavier-normal@256x30+lr=0.01` — so one run can put tanh beside ReLU, SGD beside Adam, or
//! depth 3 beside depth 30, all on the same batches.

use serde::Serialize;

use super::{Optimizer, TrainConfig};
use crate::backend::Activation;
use crate::init::{InitError, Initializer, show};

/// The most hidden layers a model may have.
pub const MAX_HIDDEN_LAYERS: usize = 32;
/// The widest hidden layer.
pub const MAX_WIDTH: usize = 1024;

/// What a model's id changes from the run's settings; `None` keeps the run's.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides {
    pub activation: Option<Activation>,
    pub optimizer: Option<Optimizer>,
    pub hidden: Option<Vec<usize>>,
    pub lr: Option<f32>,
    pub momentum: Option<f32>,
}

/// One model of a run: an initializer and what it changes of the run's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelSpec {
    pub init: Initializer,
    pub overrides: Overrides,
}

impl From<Initializer> for ModelSpec {
    fn from(init: Initializer) -> ModelSpec {
        ModelSpec { init, overrides: Overrides::default() }
    }
}

/// A model's settings once the run's fill what it does not override: what its stack is
/// built and stepped with.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct ModelArch {
    pub hidden: Vec<usize>,
    pub activation: Activation,
    pub optimizer: Optimizer,
    #[serde(serialize_with = "super::config::shortest_decimal")]
    pub lr: f32,
    /// SGD's momentum (0 for Adam, whose β₁ plays that part).
    #[serde(serialize_with = "super::config::shortest_decimal")]
    pub momentum: f32,
}

impl ModelSpec {
    /// Parses `INIT` or `INIT@TOKEN+TOKEN…` ([`Initializer::parse`] reads `INIT`). A token is
    /// an activation id (`tanh`), an optimizer (`adam`, `sgd`), hidden widths as
    /// [`parse_widths`] reads them with `/` between layers (`256x30`, `512/256`), `lr=X` or
    /// `momentum=X`; each at most once. Whitespace around the whole id is ignored.
    ///
    /// # Errors
    /// The initializer's [`InitError`], or [`InitError::BadParameter`] naming the whole id and
    /// the token that is unknown, repeated or out of range.
    pub fn parse(id: &str) -> Result<ModelSpec, InitError> {
        let id = id.trim();
        let Some((init, tokens)) = id.split_once('@') else {
            return Ok(Initializer::parse(id)?.into());
        };
        let init = Initializer::parse(init)?;
        let bad = |problem: String| InitError::BadParameter { id: id.into(), problem };
        let mut o = Overrides::default();
        for token in split_tokens(tokens) {
            let repeated = || bad(format!("`{token}` sets something an earlier token already set"));
            if let Some(act) = Activation::from_id(token) {
                o.activation.replace(act).map_or(Ok(()), |_| Err(repeated()))?;
            } else if let Some(opt) = optimizer(token) {
                o.optimizer.replace(opt).map_or(Ok(()), |_| Err(repeated()))?;
            } else if let Some(value) = token.strip_prefix("lr=") {
                let lr = number(value).filter(|lr| *lr > 0.0).ok_or_else(|| {
                    bad(format!("the learning rate in `{token}` must be a positive number, as in `lr=0.01`"))
                })?;
                o.lr.replace(lr).map_or(Ok(()), |_| Err(repeated()))?;
            } else if let Some(value) = token.strip_prefix("momentum=") {
                let m = number(value).filter(|m| (0.0..1.0).contains(m)).ok_or_else(|| {
                    bad(format!("the momentum in `{token}` must be a number in [0, 1), as in `momentum=0.9`"))
                })?;
                o.momentum.replace(m).map_or(Ok(()), |_| Err(repeated()))?;
            } else if token.starts_with(|c: char| c.is_ascii_digit()) {
                let widths =
                    parse_widths(token).map_err(|problem| bad(format!("hidden widths `{token}`: {problem}")))?;
                o.hidden.replace(widths).map_or(Ok(()), |_| Err(repeated()))?;
            } else {
                return Err(bad(format!(
                    "unknown setting `{token}` after `@`: expected an activation ({}), an optimizer (adam, sgd), \
                     hidden widths (256x30, 512/256), lr=X or momentum=X, joined by `+`",
                    Activation::ALL.map(Activation::id).join(", ")
                )));
            }
        }
        Ok(ModelSpec { init, overrides: o })
    }

    /// The id [`parse`](Self::parse) reads back: the initializer's, then the overrides in a
    /// fixed order.
    pub fn id(&self) -> String {
        let tokens = self.override_tokens(|w| format_widths(w, "/"));
        if tokens.is_empty() { self.init.id() } else { format!("{}@{}", self.init.id(), tokens.join("+")) }
    }

    /// The name for people: the initializer's, then what the model changes, e.g.
    /// "He/Kaiming normal (tanh, sgd, lr 0.01)".
    pub fn label(&self) -> String {
        let mut parts = self.override_tokens(|w| format!("{} hidden", format_widths(w, ", ")));
        parts.iter_mut().for_each(|p| *p = p.replace('=', " "));
        if let Some(act) = self.overrides.activation {
            parts[0] = act.label().to_string();
        }
        if parts.is_empty() { self.init.label() } else { format!("{} ({})", self.init.label(), parts.join(", ")) }
    }

    /// The overrides as tokens (activation first), hidden widths written by `widths`.
    fn override_tokens(&self, widths: impl Fn(&[usize]) -> String) -> Vec<String> {
        let o = &self.overrides;
        let mut tokens: Vec<String> = Vec::new();
        tokens.extend(o.activation.map(|a| a.id().to_string()));
        tokens.extend(o.optimizer.map(|opt| optimizer_id(opt).to_string()));
        tokens.extend(o.hidden.as_deref().map(&widths));
        tokens.extend(o.lr.map(|lr| format!("lr={}", show(lr))));
        tokens.extend(o.momentum.map(|m| format!("momentum={}", show(m))));
        tokens
    }

    /// This model's settings in a run of `config`. Momentum belongs to SGD: a model made Adam
    /// by its id does not inherit the run's.
    pub fn arch(&self, config: &TrainConfig) -> ModelArch {
        let o = &self.overrides;
        let optimizer = o.optimizer.unwrap_or(config.optimizer);
        let inherited = if optimizer == config.optimizer { config.momentum } else { 0.0 };
        ModelArch {
            hidden: o.hidden.clone().unwrap_or_else(|| config.hidden.clone()),
            activation: o.activation.unwrap_or(config.activation),
            optimizer,
            lr: o.lr.unwrap_or(config.lr),
            momentum: o.momentum.unwrap_or(inherited),
        }
    }
}

/// `+`-separated tokens, where a `+` inside a number's exponent (`lr=1e+2`) does not separate.
fn split_tokens(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut start = 0;
    for (i, &c) in bytes.iter().enumerate() {
        let exponent = i > 0 && matches!(bytes[i - 1], b'e' | b'E') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if c == b'+' && !exponent {
            tokens.push(&text[start..i]);
            start = i + 1;
        }
    }
    tokens.push(&text[start..]);
    tokens
}

fn optimizer(token: &str) -> Option<Optimizer> {
    [Optimizer::Adam, Optimizer::Sgd].into_iter().find(|&o| optimizer_id(o) == token)
}

fn optimizer_id(o: Optimizer) -> &'static str {
    match o {
        Optimizer::Adam => "adam",
        Optimizer::Sgd => "sgd",
    }
}

/// A finite decimal as people write it.
fn number(text: &str) -> Option<f32> {
    text.parse::<f32>().ok().filter(|v| v.is_finite())
}

/// Hidden widths as people write them: layers separated by `,` or `/`, each `W` or `WxN`
/// (N layers of W): `256,128`, `256x30`, `512/256x3`. Only the syntax is checked here; the
/// counts and sizes are [`check_widths`]'.
///
/// # Errors
/// What is wrong, for a message that names the setting: an empty layer, a width or count
/// that is not a whole number, or a count of 0.
pub fn parse_widths(text: &str) -> Result<Vec<usize>, String> {
    let mut widths = Vec::new();
    for part in text.trim().split([',', '/']) {
        let part = part.trim();
        let (width, count) = part.split_once(['x', '×']).unwrap_or((part, "1"));
        let whole = |s: &str, what: &str| {
            s.trim().parse::<usize>().map_err(|_| format!("`{part}`: the {what} must be a whole number, as in 256x30"))
        };
        let (width, count) = (whole(width, "width")?, whole(count, "layer count")?);
        if count == 0 {
            return Err(format!("`{part}` asks for 0 layers"));
        }
        // Bounded so that a typo cannot allocate a billion widths before the count check.
        widths.extend(std::iter::repeat_n(width, count.min(MAX_HIDDEN_LAYERS + 1)));
        if widths.len() > MAX_HIDDEN_LAYERS {
            return Err(format!("more than {MAX_HIDDEN_LAYERS} hidden layers"));
        }
    }
    Ok(widths)
}

/// Widths as [`parse_widths`] reads them, runs compressed: `256x30`, `512/256x3`.
pub fn format_widths(widths: &[usize], separator: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < widths.len() {
        let run = widths[i..].iter().take_while(|&&w| w == widths[i]).count();
        parts.push(if run > 1 { format!("{}x{run}", widths[i]) } else { widths[i].to_string() });
        i += run;
    }
    parts.join(separator)
}

/// Whether hidden widths can make a model: 1 to [`MAX_HIDDEN_LAYERS`] layers of 1 to
/// [`MAX_WIDTH`] units.
///
/// # Errors
/// What is wrong and what is allowed, for a message that names the setting.
pub fn check_widths(widths: &[usize]) -> Result<(), String> {
    let shown = format_widths(widths, ",");
    if widths.is_empty() {
        return Err(format!("at least one hidden layer is needed (1 to {MAX_HIDDEN_LAYERS})"));
    }
    if widths.len() > MAX_HIDDEN_LAYERS {
        return Err(format!("{} hidden layers ({shown}) are more than the {MAX_HIDDEN_LAYERS} allowed", widths.len()));
    }
    if let Some(w) = widths.iter().find(|&&w| w == 0 || w > MAX_WIDTH) {
        return Err(format!("a hidden layer of {w} units ({shown}): each needs 1 to {MAX_WIDTH} units"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_parse_and_format_round_trip() {
        assert_eq!(parse_widths("256,128"), Ok(vec![256, 128]));
        assert_eq!(parse_widths("256x3"), Ok(vec![256; 3]));
        assert_eq!(parse_widths(" 512 / 256x2 "), Ok(vec![512, 256, 256]));
        for text in ["256x30", "512/256x3", "300x4", "64"] {
            assert_eq!(format_widths(&parse_widths(text).unwrap(), "/"), text);
        }
        for bad in ["", "256,", "x3", "256x0", "256x", "-1", "1.5", "256x33", "1x999999999999"] {
            assert!(parse_widths(bad).is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn ids_with_overrides_round_trip_and_resolve() {
        let spec = ModelSpec::parse(" he-normal@tanh+sgd+256x30+lr=0.01+momentum=0.9 ").unwrap();
        assert_eq!(spec.init, Initializer::HeNormal);
        assert_eq!(spec.id(), "he-normal@tanh+sgd+256x30+lr=0.01+momentum=0.9");
        assert_eq!(ModelSpec::parse(&spec.id()).unwrap(), spec);
        let arch = spec.arch(&TrainConfig::default());
        assert_eq!(
            arch,
            ModelArch {
                hidden: vec![256; 30],
                activation: Activation::Tanh,
                optimizer: Optimizer::Sgd,
                lr: 0.01,
                momentum: 0.9
            }
        );
        assert_eq!(ModelSpec::parse("normal:1e-2@lr=1e+1").unwrap().overrides.lr, Some(10.0));
        let plain = ModelSpec::parse("xavier-normal").unwrap();
        assert_eq!((plain.id(), plain.arch(&TrainConfig::default()).hidden), ("xavier-normal".into(), vec![256, 128]));
    }

    #[test]
    fn a_model_made_adam_does_not_inherit_sgd_momentum() {
        let config = TrainConfig { optimizer: Optimizer::Sgd, momentum: 0.9, ..TrainConfig::default() };
        assert_eq!(ModelSpec::parse("he-normal@adam").unwrap().arch(&config).momentum, 0.0);
        assert_eq!(ModelSpec::parse("he-normal").unwrap().arch(&config).momentum, 0.9);
    }

    #[test]
    fn bad_overrides_name_the_token() {
        for (id, needle) in [
            ("he-normal@", "unknown setting ``"),
            ("he-normal@swish", "unknown setting `swish`"),
            ("he-normal@tanh+relu", "`relu` sets something"),
            ("he-normal@lr=0", "learning rate in `lr=0`"),
            ("he-normal@momentum=1", "momentum in `momentum=1`"),
            ("he-normal@256x0", "hidden widths `256x0`"),
        ] {
            let err = ModelSpec::parse(id).unwrap_err().to_string();
            assert!(err.contains(needle) && err.contains(id), "{id}: {err}");
        }
        assert!(matches!(ModelSpec::parse("nope@tanh"), Err(InitError::Unknown(_))));
    }

    #[test]
    fn labels_say_what_the_model_changes() {
        assert_eq!(ModelSpec::parse("he-normal").unwrap().label(), "He/Kaiming normal");
        assert_eq!(
            ModelSpec::parse("he-normal@tanh+sgd+lr=0.01+64x2").unwrap().label(),
            "He/Kaiming normal (tanh, sgd, 64x2 hidden, lr 0.01)"
        );
    }
}
