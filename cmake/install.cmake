# What `cmake --install` puts where besides libssgw and the programs (cmake/libssgw.cmake):
# man pages, the systemd units, the system users, logrotate, the publisher's defaults, the
# docs and examples; and the Debian package built from the same rules (CPack DEB, run by
# scripts/package). Destinations follow GNUInstallDirs: with CMAKE_INSTALL_PREFIX=/usr (the
# package) configuration goes to /etc and units to /lib/systemd/system (Debian 12); with any
# other prefix everything stays under it (cmake --install --prefix DIR).
include(GNUInstallDirs)

if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(unitdir_default /lib/systemd/system)
  set(SSGW_ETCDIR ${CMAKE_INSTALL_FULL_SYSCONFDIR}) # /etc
else()
  set(unitdir_default lib/systemd/system)
  set(SSGW_ETCDIR ${CMAKE_INSTALL_SYSCONFDIR}) # under the prefix
endif()
set(SSGW_SYSTEMD_UNITDIR ${unitdir_default} CACHE STRING "where the systemd units go")
set(SSGW_SYSUSERSDIR lib/sysusers.d CACHE STRING "where the sysusers.d file goes")

# ---- man pages: man/*.in with the version, and the key lists of the configuration files
# generated from the option tables (tools/config_docs `man`), so they never drift ----------
set(SSGW_MAN_PAGES ssgw.1 tsca.1 ssgw-gateway.toml.5 ssgw.conf.5 tsca.conf.5)
set(SSGW_VERSION ${PROJECT_VERSION})
set(SSGW_MAN_OUTPUTS)
foreach(page ${SSGW_MAN_PAGES})
  configure_file(${PROJECT_SOURCE_DIR}/man/${page}.in ${PROJECT_BINARY_DIR}/man/${page}.tmpl @ONLY)
  add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/man/${page}
                     COMMAND ssgw-config-docs man ${PROJECT_BINARY_DIR}/man/${page}.tmpl
                             ${PROJECT_BINARY_DIR}/man/${page}
                     DEPENDS ssgw-config-docs ${PROJECT_BINARY_DIR}/man/${page}.tmpl
                     COMMENT "man page ${page}")
  list(APPEND SSGW_MAN_OUTPUTS ${PROJECT_BINARY_DIR}/man/${page})
  string(REGEX REPLACE ".*\\.([0-9])$" "\\1" section ${page})
  install(FILES ${PROJECT_BINARY_DIR}/man/${page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach()
add_custom_target(ssgw_man ALL DEPENDS ${SSGW_MAN_OUTPUTS})

# ---- the modules of `ssgw` (CMakeLists.txt, tools/ssgw/module.c): the binary finds them at
# SSGW_MODULE_DIR relative to its own directory, so they are installed with it, never apart --
install(TARGETS ssgw-module-inspect ssgw-module-gateway LIBRARY DESTINATION ${SSGW_MODULE_DIR})

# ---- running it as a daemon --------------------------------------------------------------
install(FILES ${PROJECT_SOURCE_DIR}/dist/systemd/ssgw@.service
              ${PROJECT_SOURCE_DIR}/dist/systemd/tsca-serve.service
        DESTINATION ${SSGW_SYSTEMD_UNITDIR})
install(FILES ${PROJECT_SOURCE_DIR}/dist/sysusers.conf DESTINATION ${SSGW_SYSUSERSDIR}
        RENAME openssgw.conf)
install(FILES ${PROJECT_SOURCE_DIR}/dist/logrotate
        DESTINATION ${SSGW_ETCDIR}/logrotate.d RENAME openssgw)
install(FILES ${PROJECT_SOURCE_DIR}/dist/tsca-serve.default
        DESTINATION ${SSGW_ETCDIR}/default RENAME tsca-serve)
install(DIRECTORY DESTINATION ${SSGW_ETCDIR}/ssgw) # /etc/ssgw/NAME.toml

# ---- documentation and examples ----------------------------------------------------------
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/LICENSE
              ${PROJECT_SOURCE_DIR}/SECURITY.md ${PROJECT_SOURCE_DIR}/CHANGELOG.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME copyright)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}
        FILES_MATCHING PATTERN "*.md")
install(FILES ${PROJECT_SOURCE_DIR}/examples/ssgw.conf
              ${PROJECT_SOURCE_DIR}/examples/numbering-registry.csv
              ${PROJECT_SOURCE_DIR}/examples/partners.csv
              ${PROJECT_SOURCE_DIR}/examples/partners.json
              ${PROJECT_SOURCE_DIR}/examples/ported-numbers.csv
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(FILES ${PROJECT_SOURCE_DIR}/examples/deploy/albion.toml
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples/deploy)
install(FILES ${PROJECT_SOURCE_DIR}/dist/systemd/privileged-port.conf
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples/systemd)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/examples/trust/setup.sh
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples/trust)

# ---- the Debian package (scripts/package configures with CMAKE_INSTALL_PREFIX=/usr) -------
set(SSGW_PACKAGE_CONTACT "OpenSSGW maintainers <maintainers@openssgw.invalid>"
    CACHE STRING "the Maintainer of the Debian package")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME openssgw)
set(CPACK_PACKAGE_VENDOR "OpenSSGW")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${SSGW_PACKAGE_CONTACT})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "signalling security gateway for SS7/MAP with signed signalling")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "OpenSSGW protects a mobile operator's SS7 interconnect: an inline M3UA gateway
(TCP, SCTP, SCTP over UDP) with a GSMA FS.11 firewall (categories 1-3,
anti-spoofing, location plausibility, rate limits), and a Trusted Signalling
Certification Authority (tsca) whose certificates let gateways sign what they
send and verify what they receive. Also: a capture analyser with HTML reports,
the libssgw library, systemd units (ssgw@.service, tsca-serve.service).")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)      # Depends from the binaries (dpkg-shlibdeps)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON) # libssgw.so.0: shlibs and the ldconfig trigger
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser | systemd")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "systemd, logrotate")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
configure_file(${PROJECT_SOURCE_DIR}/dist/debian/conffiles.in ${PROJECT_BINARY_DIR}/debian/conffiles
               @ONLY)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/dist/debian/postinst ${PROJECT_SOURCE_DIR}/dist/debian/prerm
    ${PROJECT_SOURCE_DIR}/dist/debian/postrm ${PROJECT_SOURCE_DIR}/dist/debian/triggers
    ${PROJECT_BINARY_DIR}/debian/conffiles)
include(CPack)
