//! Text tables: loadtxt, genfromtxt and savetxt against NumPy's behaviour.

use ndjit::io::{self, SaveTxt, TextOptions};
use ndjit::{Array, DType, Error};

fn scratch(name: &str, contents: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ndjit_io_text_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn message(error: Error) -> String {
    match error {
        Error::File { path, message } => format!("{path}: {message}"),
        other => panic!("expected a file error, got {other}"),
    }
}

#[test]
fn loadtxt_reads_whitespace_tables_with_comments() {
    let path = scratch("plain.txt", "# x y z\n1 2 3  # first\n\n4.5 -5e1 inf\n");
    let table = io::loadtxt(&path, &TextOptions::new()).unwrap();
    assert_eq!(table.shape(), &[2, 3]);
    assert_eq!(
        table.to_vec::<f64>().unwrap(),
        vec![1.0, 2.0, 3.0, 4.5, -50.0, f64::INFINITY]
    );
}

#[test]
fn loadtxt_options_delimiter_skiprows_usecols_dtype_max_rows() {
    let path = scratch("data.csv", "a,b,c\n1,2,3\n4,5,6\n7,8,9\n");
    let options = TextOptions::new().delimiter(",").skiprows(1);
    let ints = io::loadtxt(&path, &options.clone().dtype(DType::I64).usecols(&[2, 0])).unwrap();
    assert_eq!(ints.dtype(), DType::I64);
    assert_eq!(ints.to_vec::<i64>().unwrap(), vec![3, 1, 6, 4, 9, 7]);
    let last = io::loadtxt(&path, &options.clone().usecols(&[-1])).unwrap();
    assert_eq!(last.shape(), &[3], "one column squeezes to 1-d, as NumPy");
    let column = io::loadtxt(&path, &options.clone().usecols(&[-1]).ndmin(2)).unwrap();
    assert_eq!(column.shape(), &[3, 1]);
    let first = io::loadtxt(&path, &options.clone().max_rows(1)).unwrap();
    assert_eq!(first.shape(), &[3]);
    let one = io::loadtxt(&path, &options.max_rows(1).usecols(&[1])).unwrap();
    assert_eq!(one.shape(), &[] as &[usize]);
    assert_eq!(one.item::<f64>().unwrap(), 2.0);
}

#[test]
fn loadtxt_errors_name_file_line_and_column() {
    let ragged = scratch("ragged.txt", "1 2 3\n4 5\n");
    let error = message(io::loadtxt(&ragged, &TextOptions::new()).unwrap_err());
    assert!(error.ends_with("ragged.txt: line 2: the number of columns changed from 3 to 2; use usecols to select a subset"), "{error}");
    let word = scratch("word.csv", "1,2\n3,x\n");
    let error = message(io::loadtxt(&word, &TextOptions::new().delimiter(",")).unwrap_err());
    assert!(
        error.ends_with("line 2: column 2: cannot read \"x\" as f64"),
        "{error}"
    );
    let empty = scratch("empty_field.csv", "1,,3\n");
    let error = message(io::loadtxt(&empty, &TextOptions::new().delimiter(",")).unwrap_err());
    assert!(error.contains("line 1: column 2: empty field"), "{error}");
    let error =
        message(io::loadtxt(&word, &TextOptions::new().delimiter(",").usecols(&[5])).unwrap_err());
    assert!(
        error.contains("usecols asks for column 5, the line has 2"),
        "{error}"
    );
    let error = message(
        io::loadtxt(
            scratch("f.txt", "1.5\n"),
            &TextOptions::new().dtype(DType::I32),
        )
        .unwrap_err(),
    );
    assert!(error.contains("cannot read \"1.5\" as i32"), "{error}");
}

#[test]
fn genfromtxt_fills_missing_values() {
    let path = scratch("missing.csv", "x,y,z\n1,,3\n4,NA,6\n,8,\n");
    let options = TextOptions::new()
        .delimiter(",")
        .skiprows(1)
        .missing_values(&["NA"]);
    let table = io::genfromtxt(&path, &options).unwrap();
    let values = table.to_vec::<f64>().unwrap();
    assert_eq!(table.shape(), &[3, 3]);
    let nan: Vec<bool> = values.iter().map(|v| v.is_nan()).collect();
    assert_eq!(
        nan,
        [false, true, false, false, true, false, true, false, true]
    );
    assert_eq!((values[0], values[5], values[7]), (1.0, 6.0, 8.0));
    let ints = io::genfromtxt(&path, &options.clone().dtype(DType::I64)).unwrap();
    assert_eq!(
        ints.to_vec::<i64>().unwrap(),
        vec![1, -1, 3, 4, -1, 6, -1, 8, -1]
    );
    let zeros = io::genfromtxt(&path, &options.clone().filling_value(0.0)).unwrap();
    assert_eq!(zeros.to_vec::<f64>().unwrap()[1], 0.0);
    let error =
        message(io::genfromtxt(&path, &options.dtype(DType::I32).filling_value(0.5)).unwrap_err());
    assert!(
        error.contains("the filling value 0.5 is not a i32"),
        "{error}"
    );
}

#[test]
fn savetxt_writes_what_numpy_writes_and_loadtxt_reads_it_back() {
    let array = Array::from_vec(vec![1.0, -0.1, 2.5e-300, f64::NAN, 3.0, 1e20], [2, 3]);
    let path = scratch("out.txt", "");
    io::savetxt(&path, &array, &SaveTxt::default()).unwrap();
    // np.savetxt(path, array) writes exactly these bytes.
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "1.000000000000000000e+00 -1.000000000000000056e-01 2.499999999999999980e-300\n\
         nan 3.000000000000000000e+00 1.000000000000000000e+20\n"
    );
    let back = io::loadtxt(&path, &TextOptions::new())
        .unwrap()
        .to_vec::<f64>()
        .unwrap();
    let original = array.to_vec::<f64>().unwrap();
    for (a, b) in back.iter().zip(&original) {
        assert!(a == b || (a.is_nan() && b.is_nan()), "{a} != {b}");
    }
    let options = SaveTxt {
        fmt: "%d".into(),
        delimiter: ",".into(),
        header: "a,b\nsecond line".into(),
        footer: "end".into(),
        ..SaveTxt::default()
    };
    io::savetxt(&path, &Array::arange(0i64, 3, 1), &options).unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "# a,b\n# second line\n0\n1\n2\n# end\n"
    );
    let error = message(
        io::savetxt(
            &path,
            &Array::zeros([2, 2, 2], DType::F64),
            &SaveTxt::default(),
        )
        .unwrap_err(),
    );
    assert!(error.contains("1-d or 2-d arrays, not 3-d"), "{error}");
}
