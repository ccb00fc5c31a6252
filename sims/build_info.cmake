# Run at every build (cmake -P): the commit the binary is built from, and whether tracked files differ
# from it, written into a header that changes only when they do (so nothing rebuilds otherwise).
#   cmake -DSOURCE_DIR=<tree> -DOUT=<header> -P build_info.cmake
execute_process(COMMAND git -C "${SOURCE_DIR}" rev-parse --short=12 HEAD
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc ERROR_QUIET)
set(dirty 0)
if(NOT rc EQUAL 0 OR commit STREQUAL "")
  set(commit "unknown")  # built outside git (a tarball)
else()
  execute_process(COMMAND git -C "${SOURCE_DIR}" status --porcelain --untracked-files=no
                  OUTPUT_VARIABLE status ERROR_QUIET)
  if(NOT status STREQUAL "")
    set(dirty 1)
  endif()
endif()
file(WRITE "${OUT}.new" "// Generated at build time by sims/build_info.cmake.\n#define MOESIM_COMMIT \"${commit}\"\n#define MOESIM_DIRTY ${dirty}\n")
file(COPY_FILE "${OUT}.new" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.new")
