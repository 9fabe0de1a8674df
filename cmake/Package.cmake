# Install rules and the CMake package (find_package(LLMOS CONFIG)).
#
# <prefix>/bin                       llmos-compile, llmos-run, llmos-opt
# <prefix>/lib                       libllmos_runtime.a, libllmos_main.a
# <prefix>/include/llmos/Runtime     llmos_runtime.h, llmos_abi.h
# <prefix>/lib/cmake/LLMOS           LLMOSConfig.cmake (+ version, targets,
#                                    llmos_add_model in LLMOSModel.cmake)
#
# The runtime archives go to `lib` whatever GNUInstallDirs would say:
# llmos-compile finds them at <its directory>/../lib when it links an
# executable or a shared library.

include(CMakePackageConfigHelpers)

set(LLMOS_INSTALL_CMAKEDIR lib/cmake/LLMOS)

install(TARGETS llmos_runtime EXPORT LLMOSTargets
  ARCHIVE DESTINATION lib COMPONENT llmos)
install(TARGETS llmos_main
  ARCHIVE DESTINATION lib COMPONENT llmos)
# The tools load libMLIR.so and libLLVM.so from LLVM's directory, which is
# not on the loader's default path (LLVM's own rules would leave only
# $ORIGIN/../lib).
set_target_properties(llmos-compile llmos-run llmos-opt PROPERTIES
  INSTALL_RPATH "${LLVM_LIBRARY_DIR}")
install(TARGETS llmos-compile llmos-run llmos-opt EXPORT LLMOSTargets
  RUNTIME DESTINATION bin COMPONENT llmos)
install(FILES
  ${PROJECT_SOURCE_DIR}/include/llmos/Runtime/llmos_runtime.h
  ${PROJECT_SOURCE_DIR}/include/llmos/Runtime/llmos_abi.h
  DESTINATION include/llmos/Runtime COMPONENT llmos)

install(EXPORT LLMOSTargets NAMESPACE LLMOS::
  DESTINATION ${LLMOS_INSTALL_CMAKEDIR} COMPONENT llmos)
configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/LLMOSConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/LLMOSConfig.cmake
  INSTALL_DESTINATION ${LLMOS_INSTALL_CMAKEDIR})
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/cmake/LLMOSConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/cmake/LLMOSConfig.cmake
  ${PROJECT_BINARY_DIR}/cmake/LLMOSConfigVersion.cmake
  ${CMAKE_CURRENT_LIST_DIR}/LLMOSModel.cmake
  DESTINATION ${LLMOS_INSTALL_CMAKEDIR} COMPONENT llmos)
