//! gazette's integration tests: the real binary run on fixture sites, real outputs checked.
//!
//! One test binary (faster to link than many). Each module is a chapter of the specification:
//! `build` (the sample site and the output layout), `contract` (every front-matter rule has a
//! failing fixture whose exact diagnostics are asserted), `publish` (atomic output), `hostile`
//! (one attack per case of `tests/hostile/`, each outcome exact), and so on.

mod architecture;
mod archive;
mod build;
mod contract;
mod editor;
mod harness;
mod hook;
mod hostile;
mod legal;
mod locale;
mod portal;
mod publish;
mod serve;
mod versions;
