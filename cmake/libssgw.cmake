# The installable libssgw: a versioned shared library (SONAME libssgw.so.0) of the layers a
# probe or another program needs to decode and inspect signalling (util .. obs: codecs,
# capture, policy, trust, the shared state store, the inspection pipeline, records), the
# public headers of that API, and a pkg-config file. Only the functions the installed headers
# declare are exported (a version script generated from them by cmake/exports.py); internal
# helpers stay local.
# The gateway, the TSCA and the simulators are programs, installed as such.
include(GNUInstallDirs)

set(SSGW_LIB_LAYERS util wire policy trust state inspect obs)
set(SSGW_INSTALL_HEADERS buf error json toml cfg ber digits m3ua mtp3 sccp tcap map diameter isup sms
                         view
                         capture policy store risk firewall trust_policy learn pipeline record)
# what view.h includes for the TCAP users, SCCP users and framings of issue 11
list(APPEND SSGW_INSTALL_HEADERS cap tcap_user scmg ansi_tcap sigtran)

set(SSGW_INSTALL_HEADER_FILES)
foreach(h ${SSGW_INSTALL_HEADERS})
  list(APPEND SSGW_INSTALL_HEADER_FILES ${PROJECT_SOURCE_DIR}/include/ssgw/${h}.h)
endforeach()
set(SSGW_EXPORTS_MAP ${PROJECT_BINARY_DIR}/libssgw.map)
add_custom_command(OUTPUT ${SSGW_EXPORTS_MAP}
                   COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/cmake/exports.py
                           ${SSGW_EXPORTS_MAP} ${SSGW_INSTALL_HEADER_FILES}
                   DEPENDS ${PROJECT_SOURCE_DIR}/cmake/exports.py ${SSGW_INSTALL_HEADER_FILES}
                   COMMENT "libssgw: exported symbols from the installed headers")
add_custom_target(ssgw_exports DEPENDS ${SSGW_EXPORTS_MAP})

add_library(ssgw_shared SHARED)
foreach(layer ${SSGW_LIB_LAYERS})
  target_link_libraries(ssgw_shared PRIVATE ssgw_${layer})
endforeach()
add_dependencies(ssgw_shared ssgw_exports)
set_target_properties(ssgw_shared PROPERTIES OUTPUT_NAME ssgw VERSION ${PROJECT_VERSION}
                                             SOVERSION ${PROJECT_VERSION_MAJOR}
                                             LINK_DEPENDS ${SSGW_EXPORTS_MAP})
target_link_options(ssgw_shared PRIVATE "-Wl,--version-script=${SSGW_EXPORTS_MAP}")
if(NOT SSGW_SANITIZE AND NOT SSGW_FUZZ) # sanitizer runtimes come with the executable
  target_link_options(ssgw_shared PRIVATE "-Wl,--no-undefined")
endif()

# relocatable: the prefix is found from where the .pc file is (cmake --install --prefix DIR)
file(RELATIVE_PATH SSGW_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" SSGW_PC_TO_PREFIX "${SSGW_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/libssgw.pc.in ${PROJECT_BINARY_DIR}/libssgw.pc @ONLY)

install(TARGETS ssgw_shared LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${SSGW_INSTALL_HEADER_FILES} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/ssgw)
install(FILES ${PROJECT_BINARY_DIR}/libssgw.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
install(TARGETS ssgw-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET tsca)
  install(TARGETS tsca RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(FILES ${PROJECT_SOURCE_DIR}/examples/probe/probe.c
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
