//! Prints the page's wire types (TypeScript); `cargo xtask wire` writes them where the page
//! reads them.
fn main() {
    print!("{}", weight_init_lab::wire::typescript());
}
