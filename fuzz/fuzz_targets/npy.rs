//! The `.npy` reader on arbitrary bytes: the header parser and the data
//! reader must return an error or an array, never panic or over-read; an
//! array read writes back and reads again to the same dtype and shape.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = ndjit::io::NpyHeader::read(&mut &data[..]);
    if let Ok(array) = ndjit::io::read_npy(data) {
        let mut written = Vec::new();
        ndjit::io::write_npy(&mut written, &array).expect("an array read can be written");
        let again = ndjit::io::read_npy(&written).expect("what ndjit writes it reads");
        assert_eq!((again.dtype(), again.shape()), (array.dtype(), array.shape()));
    }
});
