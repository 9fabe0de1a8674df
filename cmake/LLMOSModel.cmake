# llmos_add_model: compile an ONNX model into a static library at build time.
#
#   llmos_add_model(<target> MODEL <file.onnx>
#                   [TARGET cpu]
#                   [SYMBOL <name>]
#                   [OPTIONS <llmos-compile option>...]
#                   [DEPENDS <file>...]
#                   [VERBOSE])
#
# Creates the static library <target>, built from the object file that
# `llmos-compile <file.onnx> --emit=obj` writes, with a generated header
# <symbol>.h on its PUBLIC include path and LLMOS::runtime as a PUBLIC link
# dependency: link it (target_link_libraries(app PRIVATE <target>)), include
# "<symbol>.h" and pass <symbol>_info() to llmos_model_create.
#
#   MODEL    the .onnx file; relative paths are relative to
#            CMAKE_CURRENT_SOURCE_DIR. It may be the output of another
#            custom command of this directory.
#   TARGET   the device to compile for; `cpu` (the default) is the only one
#            this llmos supports.
#   SYMBOL   the C name of the model (<symbol>_info, <symbol>.h); default:
#            <target> made a C identifier.
#   OPTIONS  passed to llmos-compile as they are: -O0..-O3, --cpu=NAME,
#            --input-shape NAME=DxD.., --prune-weights=S, ...
#            (`llmos-compile --help`). -o, --emit, --symbol, --compile-to and
#            --no-header are set by this function.
#   DEPENDS  more files whose change recompiles the model (e.g. the model's
#            external data files).
#   VERBOSE  print each compile phase and its time while building.
#
# The model is recompiled when the .onnx file, a DEPENDS file or
# llmos-compile changes. With OPTIONS --external-weights the weights go to
# <symbol>.weights next to the object; the target property
# LLMOS_WEIGHTS_FILE names it (ship it next to the program, or point
# LLMOS_WEIGHTS_DIR at its directory). Other target properties:
# LLMOS_MODEL (the .onnx path), LLMOS_SYMBOL, LLMOS_HEADER (the header's
# path).

function(llmos_add_model target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "VERBOSE" "MODEL;TARGET;SYMBOL"
                        "OPTIONS;DEPENDS")
  set(where "llmos_add_model(${target})")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${where}: unknown arguments: ${ARG_UNPARSED_ARGUMENTS}"
            " (expected MODEL, TARGET, SYMBOL, OPTIONS, DEPENDS, VERBOSE)")
  endif()
  if(TARGET ${target})
    message(FATAL_ERROR "${where}: a target named '${target}' already exists")
  endif()
  if(NOT ARG_MODEL)
    message(FATAL_ERROR "${where}: MODEL <file.onnx> is required")
  endif()
  if(NOT DEFINED ARG_TARGET)
    set(ARG_TARGET cpu)
  endif()
  if(NOT ARG_TARGET STREQUAL "cpu")
    message(FATAL_ERROR "${where}: TARGET '${ARG_TARGET}' is not supported "
            "by this llmos (supported: cpu)")
  endif()

  get_filename_component(model "${ARG_MODEL}" ABSOLUTE
                         BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${model}")
    get_source_file_property(generated "${model}" GENERATED)
    if(NOT generated)
      message(FATAL_ERROR "${where}: the model '${model}' does not exist")
    endif()
  endif()

  if(DEFINED ARG_SYMBOL)
    if(NOT ARG_SYMBOL MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
      message(FATAL_ERROR "${where}: SYMBOL '${ARG_SYMBOL}' is not a C "
              "identifier")
    endif()
    set(symbol "${ARG_SYMBOL}")
  else()
    string(MAKE_C_IDENTIFIER "${target}" symbol)
  endif()

  set(weights "")
  foreach(option IN LISTS ARG_OPTIONS)
    if(option MATCHES "^(-o|--emit|-emit|--symbol|-symbol|--compile-to|-compile-to|--no-header|-no-header)(=.*)?$")
      message(FATAL_ERROR "${where}: OPTIONS must not contain '${option}': "
              "llmos_add_model sets it")
    endif()
    if(option MATCHES "^--?external-weights$")
      set(weights "external")
    endif()
  endforeach()

  set(dir "${CMAKE_CURRENT_BINARY_DIR}/llmos/${target}")
  file(MAKE_DIRECTORY "${dir}")
  set(object "${dir}/${symbol}.o")
  set(header "${dir}/${symbol}.h")
  set(byproducts "")
  if(weights)
    set(weights "${dir}/${symbol}.weights")
    set(byproducts BYPRODUCTS "${weights}")
  endif()
  set(verbose "")
  if(ARG_VERBOSE)
    set(verbose "-v")
  endif()
  file(RELATIVE_PATH shown "${CMAKE_SOURCE_DIR}" "${model}")
  if(shown MATCHES "^\\.\\./")
    set(shown "${model}")
  endif()

  add_custom_command(
    OUTPUT "${object}" "${header}"
    ${byproducts}
    COMMAND LLMOS::llmos-compile "${model}" --emit=obj -o "${object}"
            "--symbol=${symbol}" ${ARG_OPTIONS} ${verbose}
    DEPENDS "${model}" "$<TARGET_FILE:LLMOS::llmos-compile>" ${ARG_DEPENDS}
    COMMENT "llmos: compiling ${shown} for ${ARG_TARGET} (${target})"
    VERBATIM)
  set_source_files_properties("${object}" PROPERTIES
    EXTERNAL_OBJECT TRUE GENERATED TRUE)

  add_library(${target} STATIC "${object}" "${header}")
  set_target_properties(${target} PROPERTIES
    LINKER_LANGUAGE CXX
    LLMOS_MODEL "${model}"
    LLMOS_SYMBOL "${symbol}"
    LLMOS_HEADER "${header}"
    LLMOS_WEIGHTS_FILE "${weights}")
  target_include_directories(${target} PUBLIC "${dir}")
  target_link_libraries(${target} PUBLIC LLMOS::runtime)
endfunction()
