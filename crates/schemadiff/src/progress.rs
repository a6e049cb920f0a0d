//! What a run is doing, for the person waiting on it: a spinner on standard error naming the stage (only on a
//! terminal, never in piped or `-q` output), and with `-v` a log line per stage with its timing (through
//! `tracing`; `-vv` adds every statement sent to a scratch server). Standard output carries only the
//! command's result.
//!
//! A stage is a guard: `let _stage = progress::stage("normalizing schema.toml");` shows the stage until the
//! guard is dropped, which logs how long it took.

use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How much a run says on standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verbosity {
    /// `-q`: errors only.
    pub quiet: bool,
    /// `-v` (1), `-vv` (2).
    pub level: u8,
}

static SPINNER: OnceLock<Mutex<Option<ProgressBar>>> = OnceLock::new();

fn spinner() -> &'static Mutex<Option<ProgressBar>> {
    SPINNER.get_or_init(|| Mutex::new(None))
}

/// Set up the reporting of a run: the log subscriber for `-v`/`-vv`, and the spinner when standard error is a
/// terminal and neither `-q` nor `-v` asked otherwise. Call once, first.
pub fn init(verbosity: Verbosity, color: bool) {
    if verbosity.level > 0 && !verbosity.quiet {
        let level = if verbosity.level >= 2 {
            tracing::Level::DEBUG
        } else {
            tracing::Level::INFO
        };
        let _ = tracing_subscriber::fmt()
            .with_max_level(level)
            .with_writer(std::io::stderr)
            .with_ansi(color)
            .with_target(false)
            .with_timer(tracing_subscriber::fmt::time::uptime())
            .try_init();
        return;
    }
    if verbosity.quiet || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return;
    }
    // Drawn from the first stage on: a command without stages (validate, ddl) shows nothing.
    let _ = SPINNER_COLOR.set(color);
}

/// Set when a spinner may be shown, with whether it is coloured.
static SPINNER_COLOR: OnceLock<bool> = OnceLock::new();

fn new_spinner(color: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let template = if color {
        "{spinner:.cyan} {msg} {elapsed:.dim}"
    } else {
        "{spinner} {msg} {elapsed}"
    };
    bar.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

/// Take the spinner off the screen (before the result is printed, or an error).
pub fn clear() {
    if let Some(bar) = spinner().lock().unwrap_or_else(|e| e.into_inner()).take() {
        bar.finish_and_clear();
    }
}

/// A stage of the run, shown while the guard lives.
pub struct Stage {
    name: String,
    started: Instant,
}

/// Start a stage: shown on the spinner, logged at `-v`.
pub fn stage(name: impl Into<String>) -> Stage {
    let name = name.into();
    tracing::info!("{name}...");
    if let Some(&color) = SPINNER_COLOR.get() {
        let mut slot = spinner().lock().unwrap_or_else(|e| e.into_inner());
        slot.get_or_insert_with(|| new_spinner(color))
            .set_message(name.clone());
    }
    Stage {
        name,
        started: Instant::now(),
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        tracing::info!(
            "{}: done in {:.2} s",
            self.name,
            self.started.elapsed().as_secs_f64()
        );
    }
}
