//! napi-rs build setup (linker flags for a Node addon).

fn main() {
    napi_build::setup();
}
