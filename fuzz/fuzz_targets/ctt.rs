//! An ITC-2007 `.ctt` file: any bytes, as text (invalid UTF-8 replaced, so
//! no input is wasted), parsed, mapped onto an instance and diagnosed, as
//! `classplan check FILE.ctt` does.
#![no_main]

use std::path::Path;

use classplan::io::ctt;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(problem) = ctt::parse_ctt(&text, Path::new("fuzz.ctt")) {
        let instance = ctt::to_instance(&problem);
        let _ = classplan::check::diagnose(&instance);
    }
});
