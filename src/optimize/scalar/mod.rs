//! Functions of one variable: `root_scalar` and `minimize_scalar`.

mod function;
mod minimize_scalar;
mod root_scalar;

pub use function::{IntoScalarFunction, ScalarFunction};
pub use minimize_scalar::{minimize_scalar, ScalarMethod, ScalarOptions};
pub(crate) use root_scalar::{brent, Tolerance};
pub use root_scalar::{root_scalar, RootMethod, RootOptions, RootResults};
