//! An ITC-2007 `.ctt` file: see `targets::ctt`.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod targets;

fuzz_target!(|data: &[u8]| targets::ctt(data));
