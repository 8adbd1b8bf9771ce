# Install rules and CPack .deb packaging: `cpack -G DEB` in the build directory makes
#   grouploop-relay_<version>_<arch>.deb    relay, simulator, systemd unit, docs
#   grouploop-console_<version>_<arch>.deb  console, desktop file, icon
include(GNUInstallDirs)

install(TARGETS grouploop-relay grouploop-sim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT relay)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/grouploop-relay.service
        DESTINATION lib/systemd/system COMPONENT relay)
install(FILES ${PROJECT_SOURCE_DIR}/docs/relay.md ${PROJECT_SOURCE_DIR}/docs/protocol.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/grouploop-relay COMPONENT relay)
set(CPACK_COMPONENTS_ALL relay)
if(TARGET grouploop-console)
    list(APPEND CPACK_COMPONENTS_ALL console)
    install(TARGETS grouploop-console RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT console)
    install(FILES ${PROJECT_SOURCE_DIR}/resources/grouploop-console.desktop
            DESTINATION ${CMAKE_INSTALL_DATADIR}/applications COMPONENT console)
    install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/grouploop.svg
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps COMPONENT console)
    install(FILES ${PROJECT_SOURCE_DIR}/docs/outputs.md
            DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/grouploop-console COMPONENT console)
endif()

set(CPACK_PACKAGE_NAME grouploop)
set(CPACK_PACKAGE_VENDOR "The GroupLoop authors")
set(CPACK_PACKAGE_CONTACT "The GroupLoop authors <maintainers@grouploop.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_RELAY_PACKAGE_NAME grouploop-relay)
set(CPACK_COMPONENT_RELAY_DESCRIPTION "GroupLoop relay and headless swarm simulator\n grouploop-relay relays sensor frames and commands between GroupLoop wearables,\n browsers and consoles; grouploop-sim runs virtual devices.")
# shlibdeps finds libhiredis0.14 too; named here because cluster mode (--redis) needs it.
set(CPACK_DEBIAN_RELAY_PACKAGE_DEPENDS "libhiredis0.14")
set(CPACK_DEBIAN_RELAY_PACKAGE_SUGGESTS "redis-server")
set(CPACK_DEBIAN_CONSOLE_PACKAGE_NAME grouploop-console)
set(CPACK_COMPONENT_CONSOLE_DESCRIPTION "GroupLoop desktop console\n Watch and command GroupLoop devices, run virtual swarms and an emulator.")
# The console loads QML modules at run time; shlibdeps cannot see those (tst_qmlmodules checks
# this list against what the console imports). librtmidi6: MIDI out (docs/outputs.md),
# libqt6keychain1: remembered relay tokens (docs/console.md), libqrencode4: the Join dialog's
# QR codes, named so the package says them even
# where shlibdeps is off.
set(CPACK_DEBIAN_CONSOLE_PACKAGE_DEPENDS
    "librtmidi6, libqt6keychain1, libqrencode4, qml6-module-qtquick, qml6-module-qtquick-controls, qml6-module-qtquick-layouts, qml6-module-qtquick-window, qml6-module-qtquick-templates, qml6-module-qtquick-shapes, qml6-module-qtquick-dialogs, qml6-module-qt-labs-folderlistmodel, qml6-module-qtqml, qml6-module-qtqml-workerscript, qml6-module-qtqml-models")
include(CPack)
