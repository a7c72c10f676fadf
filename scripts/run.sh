#!/usr/bin/env bash
# One entry point that sets a fresh machine up and then does the job:
#   scripts/run.sh demo   solve the shipped Bến Tre 2020 plan into out/ben-tre-2020
#   scripts/run.sh test   run the whole test suite (what CI runs)
# The HiGHS solver is built from source by the highs-sys crate, which needs
# the cmake program and libclang; both are installed here when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Reuse one build across clones: HiGHS takes minutes to compile.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/classplan-target}"

have_libclang() {
    [ -n "${LIBCLANG_PATH:-}" ] && return 0
    ls /usr/lib/llvm-*/lib/libclang*.so* /usr/lib/x86_64-linux-gnu/libclang*.so* >/dev/null 2>&1
}

install_build_tools() {
    if command -v cmake >/dev/null 2>&1 && have_libclang; then
        return 0
    fi
    echo "classplan: installing cmake and libclang (needed to build HiGHS)..." >&2
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq cmake libclang-dev >/dev/null
    elif command -v python3 >/dev/null 2>&1; then
        # Without root: PyPI's wheels carry both programs.
        python3 -m pip install --user --quiet cmake libclang
        export PATH="$HOME/.local/bin:$PATH"
        LIBCLANG_PATH="$(python3 -c 'import clang, os; print(os.path.join(os.path.dirname(clang.__file__), "native"))')"
        export LIBCLANG_PATH
    else
        echo "classplan: please install cmake and libclang (Debian: apt-get install cmake libclang-dev)" >&2
        exit 2
    fi
}

install_lint_tools() {
    # rustup toolchains may come without rustfmt and clippy.
    if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
        if command -v rustup >/dev/null 2>&1; then
            rustup component add rustfmt clippy
        else
            echo "classplan: please install rustfmt and clippy (rustup component add rustfmt clippy)" >&2
            exit 2
        fi
    fi
}

case "${1:-}" in
    demo)
        install_build_tools
        cargo build --release --locked
        exec "$CARGO_TARGET_DIR/release/classplan" solve instances/ben-tre-2020 --out out/ben-tre-2020 --force --threads 2 "${@:2}"
        ;;
    test)
        install_build_tools
        install_lint_tools
        # Habits first: formatting and lints fail fast, before the long build.
        cargo fmt --check
        # Release profile, so clippy reuses the HiGHS build the tests need.
        cargo clippy --release --locked --all-targets -- -D warnings
        # Release mode: the solver is far too slow in debug builds.
        cargo test --release --locked
        # The pure-Rust solver, so builds without a C++ toolchain stay working.
        cargo test --release --locked --no-default-features --features microlp --test microlp
        ;;
    *)
        echo "usage: scripts/run.sh demo|test" >&2
        exit 2
        ;;
esac
