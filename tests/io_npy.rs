//! `.npy` files: the fixtures NumPy wrote (tests/fixtures/npy/generate.py)
//! read back to the values the script wrote, files ndjit writes read back,
//! and hostile files refused with an error naming the file.

use ndjit::{io, Array, DType, Error};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/npy")
        .join(name)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ndjit_io_npy_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The values generate.py's `values(code)` writes: shape (2, 3, 4), element
/// `i` in row-major order computed from `i`.
fn expected(dtype: DType) -> Array {
    let i: Vec<i64> = (0..24).collect();
    let array = match dtype {
        DType::Bool => Array::from_vec(i.iter().map(|i| i % 3 == 0).collect(), [24]),
        DType::I32 => Array::from_vec(i.iter().map(|i| (*i as i32 - 5) * 100003).collect(), [24]),
        DType::I64 => Array::from_vec(i.iter().map(|i| (i - 5) * 1000000000007).collect(), [24]),
        DType::F32 => Array::from_vec(i.iter().map(|i| (*i as f32 - 5.0) * 0.25).collect(), [24]),
        DType::F64 => Array::from_vec(i.iter().map(|i| (*i as f64 - 5.0) * 0.25).collect(), [24]),
    };
    array.reshape([2, 3, 4])
}

/// Elements in row-major order, as text (compares every dtype alike).
fn elements(array: &Array) -> String {
    format!("{}", array.eval().unwrap())
}

#[test]
fn reads_every_numpy_fixture_of_every_dtype_order_and_version() {
    let codes = [
        (DType::Bool, "b1"),
        (DType::I32, "i4"),
        (DType::I64, "i8"),
        (DType::F32, "f4"),
        (DType::F64, "f8"),
    ];
    let mut read = 0;
    for (dtype, code) in codes {
        for endian in ["little", "big"] {
            for layout in ["C", "F"] {
                for version in 1..=3 {
                    let name = format!("{code}_{endian}_{layout}_v{version}.npy");
                    if dtype == DType::Bool && endian == "big" {
                        continue;
                    }
                    let header = io::info(fixture(&name)).unwrap();
                    assert_eq!(header.version, (version, 0), "{name}");
                    assert_eq!(header.fortran_order, layout == "F", "{name}");
                    assert_eq!(header.shape, vec![2, 3, 4], "{name}");
                    let array = io::load(fixture(&name)).unwrap();
                    assert_eq!(array.dtype(), dtype, "{name}");
                    assert_eq!(array.shape(), &[2, 3, 4], "{name}");
                    assert_eq!(elements(&array), elements(&expected(dtype)), "{name}");
                    read += 1;
                }
            }
        }
    }
    assert_eq!(read, 54);
}

#[test]
fn reads_zero_d_empty_and_special_values() {
    let scalar = io::load(fixture("scalar_f8.npy")).unwrap();
    assert_eq!(scalar.shape(), &[] as &[usize]);
    assert_eq!(scalar.item::<f64>().unwrap(), 3.5);
    assert!(io::load(fixture("scalar_b1.npy"))
        .unwrap()
        .item::<bool>()
        .unwrap());
    let empty = io::load(fixture("empty_i4.npy")).unwrap();
    assert_eq!((empty.shape(), empty.dtype()), (&[0, 3][..], DType::I32));
    assert_eq!(
        io::load(fixture("empty_f8_F.npy")).unwrap().shape(),
        &[3, 0, 2]
    );
    let special = [
        f64::NAN,
        f64::INFINITY,
        -f64::INFINITY,
        -0.0,
        5e-324,
        f64::MAX,
    ];
    let f8 = io::load(fixture("special_f8.npy"))
        .unwrap()
        .to_vec::<f64>()
        .unwrap();
    let f4 = io::load(fixture("special_f4_big.npy"))
        .unwrap()
        .to_vec::<f32>()
        .unwrap();
    for (k, want) in special.iter().enumerate() {
        assert_eq!(f8[k].to_bits(), want.to_bits(), "f8 element {k}");
        assert_eq!(f4[k].to_bits(), (*want as f32).to_bits(), "f4 element {k}");
    }
}

#[test]
fn what_ndjit_writes_reads_back_bit_for_bit() {
    for dtype in DType::ALL {
        for shape in [vec![], vec![0], vec![5], vec![2, 3, 4], vec![4, 0, 2]] {
            let n: usize = shape.iter().product();
            let values: Vec<f64> = (0..n).map(|i| i as f64 * 1.25 - 3.0).collect();
            let array = Array::from_vec(values, shape.clone()).astype(dtype);
            let path = scratch(&format!("round_{dtype}_{}.npy", shape.len()));
            io::save(&path, &array).unwrap();
            let back = io::load(&path).unwrap();
            assert_eq!((back.dtype(), back.shape()), (dtype, &shape[..]));
            assert_eq!(elements(&back), elements(&array), "{dtype} {shape:?}");
            assert_eq!(
                std::fs::metadata(&path).unwrap().len() % 64,
                (n * dtype.size_bytes()) as u64 % 64
            );
        }
    }
}

#[test]
fn a_fortran_fixture_is_a_transposed_view_that_saves_in_c_order() {
    let f = io::load(fixture("f8_little_F_v1.npy")).unwrap();
    let path = scratch("from_fortran.npy");
    io::save(&path, &(&f * 2.0)).unwrap();
    assert!(!io::info(&path).unwrap().fortran_order);
    assert_eq!(
        elements(&io::load(&path).unwrap()),
        elements(&(expected(DType::F64) * 2.0))
    );
}

/// The message of a file error, checking it names `path`.
fn file_error(result: ndjit::Result<Array>, path: &str) -> String {
    match result {
        Err(Error::File { path: p, message }) => {
            assert!(p.ends_with(path), "{p} does not name {path}");
            message
        }
        Err(other) => panic!("expected a file error, got {other}"),
        Ok(_) => panic!("expected a file error for {path}, got an array"),
    }
}

#[test]
fn unsupported_dtypes_name_the_descriptor() {
    let u2 = file_error(
        io::load(fixture("u2_unsupported.npy")),
        "u2_unsupported.npy",
    );
    assert!(
        u2.starts_with("unsupported dtype '<u2' (ndjit reads |b1, <i4, <i8, <f4, <f8"),
        "{u2}"
    );
    let c16 = file_error(
        io::load(fixture("c16_unsupported.npy")),
        "c16_unsupported.npy",
    );
    assert!(c16.contains("'<c16'"), "{c16}");
    let record = file_error(
        io::load(fixture("record_unsupported.npy")),
        "record_unsupported.npy",
    );
    assert!(
        record.starts_with("structured dtype [('x', '<f8'), ('id', '<i4')]"),
        "{record}"
    );
}

#[test]
fn hostile_files_are_errors_naming_the_file() {
    let good = std::fs::read(fixture("f8_little_C_v1.npy")).unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = scratch(name);
        std::fs::write(&path, bytes).unwrap();
        file_error(io::load(&path), name)
    };
    assert!(write("magic.npy", b"PNG\x89 not numpy at all").contains("not a .npy file"));
    assert!(write("empty.npy", b"").contains("ends inside the magic string"));
    let mut long = good.clone();
    long[6] = 2;
    long.splice(8..10, u32::MAX.to_le_bytes());
    assert!(write("long_header.npy", &long).contains("header length 4294967295 bytes"));
    let truncated = write("truncated.npy", &good[..good.len() - 3]);
    assert!(truncated.contains("the data is truncated: shape (2, 3, 4) of '<f8' needs 192 bytes"));
    let header = std::str::from_utf8(&good[10..128]).unwrap();
    // Edits the header's dict, keeping its length (the padding absorbs it).
    let edited = |from: &str, to: &str| {
        let dict = header.trim_end().replacen(from, to, 1);
        let mut bytes = good.clone();
        bytes[10..127].copy_from_slice(format!("{dict:<117}").as_bytes());
        bytes
    };
    let huge = write("huge.npy", &edited("(2, 3, 4)", "(2305843009213693952,)"));
    assert!(
        huge.contains("shape (2305843009213693952,) of '<f8' overflows"),
        "{huge}"
    );
    let overflow = write(
        "overflow.npy",
        &edited("(2, 3, 4)", "(9999999999999, 99999999)"),
    );
    assert!(
        overflow.contains("more elements than fit in memory"),
        "{overflow}"
    );
    let beyond = write("beyond.npy", &edited("(2, 3, 4)", "(2, 3, 9)"));
    assert!(
        beyond.contains("needs 432 bytes after the header, the file holds 192"),
        "{beyond}"
    );
    let call = write("call.npy", &edited("False", "exec()"));
    assert!(call.contains("header is not a Python literal"), "{call}");
    let npz = file_error(io::load(fixture("stored.npz")), "stored.npz");
    assert!(npz.contains("zip archive (.npz)"), "{npz}");
    let missing = file_error(io::load(fixture("no_such_file.npy")), "no_such_file.npy");
    assert!(missing.starts_with("cannot open"), "{missing}");
}

#[test]
fn info_describes_the_header() {
    let text = io::info(fixture("i4_big_F_v2.npy")).unwrap().to_string();
    for line in [
        "format   .npy 2.0",
        "dtype    i32 ('>i4', big-endian)",
        "shape    (2, 3, 4)",
        "order    F (column-major)",
        "size     24 elements, 96 bytes of data from byte 128",
    ] {
        assert!(text.contains(line), "{line:?} not in\n{text}");
    }
}
