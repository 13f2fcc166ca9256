//! SecLang: lexing and parsing of rule files into [`ast::Directive`]s.
pub mod ast;
pub mod error;
pub mod lex;
pub mod parse;
