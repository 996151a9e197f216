//! The kernel verifier: checks that a kernel (and a schedule's use of its
//! buffers) is internally consistent, as Cranelift's verifier checks its
//! IR after each pass. Codegen runs it before emitting code, so a
//! malformed kernel is an error rather than a panic or bad code; the
//! scheduler runs it on its own output in debug builds.
//!
//! Each instruction's dtype is checked with the op's own type rule
//! ([`Op::infer`]), so the verifier knows no per-op facts of its own.

use super::kernel::{Expr, Kernel, Schedule, Step};
use crate::op::{Op, TensorType};
use crate::shape::Shape;

impl Kernel {
    /// Checks that every map has one stride per iteration axis, every
    /// instruction reads earlier values of the dtypes its op accepts and
    /// produces its stated dtype, and every store writes an existing value
    /// of the store's dtype.
    pub fn verify(&self) -> Result<(), String> {
        let rank = self.shape.len();
        let maps = self.loads.iter().map(|l| ("load", &l.map));
        let maps = maps.chain(self.stores.iter().map(|s| ("store", &s.map)));
        for (what, map) in maps {
            if map.strides.len() != rank {
                return Err(format!(
                    "{what} map has {} strides for rank {rank}",
                    map.strides.len()
                ));
            }
        }
        for (i, instr) in self.body.iter().enumerate() {
            let fail = |message: String| Err(format!("v{i}: {message}"));
            let produced = match &instr.expr {
                Expr::Load(k) => match self.loads.get(*k) {
                    Some(load) => load.dtype,
                    None => return fail(format!("load {k} does not exist")),
                },
                Expr::Scalar(k) => match self.scalars.get(*k) {
                    Some(scalar) => scalar.dtype(),
                    None => return fail(format!("scalar {k} does not exist")),
                },
                Expr::Apply(function, operands) => {
                    let mut types = Vec::with_capacity(operands.len());
                    for v in operands {
                        match self.body.get(v.0 as usize) {
                            Some(operand) if (v.0 as usize) < i => {
                                types.push(TensorType::new(Shape::scalar(), operand.dtype))
                            }
                            _ => return fail(format!("uses {v}, which is not defined before it")),
                        }
                    }
                    let types: Vec<&TensorType> = types.iter().collect();
                    match Op::from(*function).infer(&types) {
                        Ok(ty) => ty.dtype,
                        Err(error) => return fail(error.to_string()),
                    }
                }
            };
            if produced != instr.dtype {
                return fail(format!("produces {produced}, declared {}", instr.dtype));
            }
        }
        for store in &self.stores {
            let value = self.body.get(store.value.0 as usize);
            if value.is_none_or(|v| v.dtype != store.dtype) {
                return Err(format!(
                    "store of {}: no such value of dtype {}",
                    store.value, store.dtype
                ));
            }
        }
        Ok(())
    }
}

impl Schedule {
    /// Checks every kernel ([`Kernel::verify`]), and that every buffer a
    /// step or an output names exists with the dtype used.
    pub fn verify(&self) -> Result<(), String> {
        let buffer = |id: super::BufferId| {
            self.buffers
                .get(id.0 as usize)
                .ok_or_else(|| format!("{id} does not exist"))
        };
        for (s, step) in self.steps.iter().enumerate() {
            let fail = |message: String| format!("step {s}: {message}");
            for kernel in step.kernels() {
                kernel.verify().map_err(fail)?;
                for (id, dtype) in kernel
                    .loads
                    .iter()
                    .map(|l| (l.buffer, l.dtype))
                    .chain(kernel.stores.iter().map(|s| (s.buffer, s.dtype)))
                {
                    let decl = buffer(id).map_err(fail)?;
                    if decl.dtype != dtype {
                        return Err(fail(format!(
                            "{id} holds {}, accessed as {dtype}",
                            decl.dtype
                        )));
                    }
                }
            }
            if let Step::Library { args, output, .. } = step {
                for (id, _) in args.iter().chain(std::iter::once(output)) {
                    buffer(*id).map_err(fail)?;
                }
            }
        }
        for (id, _) in &self.outputs {
            buffer(*id)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::schedule::{schedule, Expr, Instr, ValueId};
    use crate::{DType, Elementwise, Graph, UnaryOp};

    fn scheduled_kernel() -> crate::schedule::Kernel {
        let graph = Graph::parse(
            "graph(%0: f64[4]) {
               %1 = exp %0 : f64[4]
               %2 = gt %1, %0 : bool[4]
               return %1, %2
             }",
        )
        .unwrap();
        let schedule = schedule(&graph);
        schedule.verify().unwrap();
        schedule.steps[0].kernels()[0].clone()
    }

    #[test]
    fn accepts_what_the_scheduler_builds() {
        scheduled_kernel().verify().unwrap();
    }

    #[test]
    fn rejects_a_wrong_result_dtype() {
        let mut kernel = scheduled_kernel();
        let last = kernel.body.len() - 1;
        kernel.body[last].dtype = DType::F64;
        let error = kernel.verify().unwrap_err();
        assert!(error.contains("produces bool, declared f64"), "{error}");
    }

    #[test]
    fn rejects_a_use_before_definition() {
        let mut kernel = scheduled_kernel();
        kernel.body.insert(
            0,
            Instr {
                expr: Expr::Apply(Elementwise::Unary(UnaryOp::Exp), vec![ValueId(3)]),
                dtype: DType::F64,
            },
        );
        let error = kernel.verify().unwrap_err();
        assert!(error.contains("not defined before it"), "{error}");
    }

    #[test]
    fn rejects_operands_the_op_does_not_accept() {
        let mut kernel = scheduled_kernel();
        kernel.body.push(Instr {
            expr: Expr::Apply(Elementwise::Unary(UnaryOp::Not), vec![ValueId(0)]),
            dtype: DType::Bool,
        });
        let error = kernel.verify().unwrap_err();
        assert!(error.contains("not defined for dtype f64"), "{error}");
    }
}
