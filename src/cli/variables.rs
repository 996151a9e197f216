//! Input variables declared on the command line:
//! `--shape NAME=D1,D2,...[:DTYPE]`.

use crate::DType;
use ndjit_ir::{Buffer, Shape, Tensor};

/// One declared input: a name, a shape and, optionally, its own dtype.
#[derive(Clone, Debug, PartialEq)]
pub struct Variable {
    /// The name expressions use.
    pub name: String,
    /// Its extents.
    pub shape: Shape,
    /// Its dtype, when given (else the command's default).
    pub dtype: Option<DType>,
}

impl Variable {
    /// Reads `NAME=D1,D2,...` with an optional `:DTYPE` suffix:
    /// `x=1000000`, `m=3,4:f32`, `s=` (0-d).
    pub fn parse(text: &str) -> Result<Variable, String> {
        let syntax = || format!("`{text}` is not NAME=D1,D2,...[:DTYPE], e.g. x=3,4 or x=3,4:f32");
        let (name, rest) = text.split_once('=').ok_or_else(syntax)?;
        let valid_name = name.starts_with(|c: char| c.is_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_alphanumeric() || c == '_')
            && name != "None";
        if !valid_name {
            return Err(format!("`{name}` is not a valid variable name"));
        }
        let (dims, dtype) = match rest.split_once(':') {
            Some((dims, dtype)) => {
                let dtype = DType::parse(dtype).ok_or_else(|| unknown_dtype(dtype))?;
                (dims, Some(dtype))
            }
            None => (rest, None),
        };
        let dims = if dims.trim().is_empty() {
            Vec::new()
        } else {
            dims.split(',')
                .map(|d| d.trim().parse::<usize>().map_err(|_| syntax()))
                .collect::<Result<Vec<_>, _>>()?
        };
        Ok(Variable {
            name: name.to_string(),
            shape: Shape(dims),
            dtype,
        })
    }

    /// A tensor of zeros of this variable's shape and dtype (`default_dtype`
    /// if it has none), to stand for the input when tracing. The memory is
    /// requested zeroed, so pages never read cost nothing.
    pub fn placeholder(&self, default_dtype: DType) -> Result<Tensor, String> {
        let dtype = self.dtype.unwrap_or(default_dtype);
        let too_large = || format!("shape {} of `{}` is too large", self.shape, self.name);
        let len = self
            .shape
            .dims()
            .iter()
            .try_fold(1usize, |n, &d| n.checked_mul(d))
            .ok_or_else(too_large)?;
        let bytes = len
            .checked_mul(dtype.size_bytes())
            .filter(|&b| b <= isize::MAX as usize)
            .ok_or_else(too_large)?;
        // `Buffer::zeros` aborts the process when the allocation fails;
        // asking first turns an impossible size into an error message.
        Vec::<u8>::new()
            .try_reserve_exact(bytes)
            .map_err(|_| format!("cannot allocate {bytes} bytes for `{}`", self.name))?;
        Ok(Tensor::new(self.shape.clone(), Buffer::zeros(dtype, len))
            .expect("the buffer has the shape's length"))
    }
}

/// The message for a dtype name [`DType::parse`] does not know.
pub fn unknown_dtype(name: &str) -> String {
    format!("unknown dtype `{name}` (use f64, f32, i64, i32 or bool)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_name_extents_and_dtype() {
        let x = Variable::parse("x=1000000").unwrap();
        assert_eq!(
            (x.name.as_str(), x.shape.dims(), x.dtype),
            ("x", &[1000000][..], None)
        );
        let m = Variable::parse("m=3,4:f32").unwrap();
        assert_eq!((m.shape.dims(), m.dtype), (&[3, 4][..], Some(DType::F32)));
        assert_eq!(Variable::parse("s=").unwrap().shape.rank(), 0);
        assert!(Variable::parse("x").unwrap_err().contains("NAME=D1,D2"));
        assert!(Variable::parse("x=3,a").unwrap_err().contains("NAME=D1,D2"));
        assert!(Variable::parse("x=3:f16")
            .unwrap_err()
            .contains("unknown dtype `f16`"));
        assert!(Variable::parse("2x=3")
            .unwrap_err()
            .contains("not a valid variable name"));
    }

    #[test]
    fn placeholders_are_zeros_or_an_error() {
        let m = Variable::parse("m=2,3:i32").unwrap();
        let tensor = m.placeholder(DType::F64).unwrap();
        assert_eq!(tensor.as_slice::<i32>(), &[0; 6]);
        let huge = Variable::parse("h=100000000000,100000000000").unwrap();
        assert!(huge
            .placeholder(DType::F64)
            .unwrap_err()
            .contains("too large"));
        let absurd = Variable::parse("a=1000000000000000").unwrap();
        assert!(absurd
            .placeholder(DType::F64)
            .unwrap_err()
            .contains("cannot allocate"));
    }
}
