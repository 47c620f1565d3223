# Generates a C++ source holding every schemas/postgresql/NNNN_name.sql file, so the binaries
# carry their schema and need no files beside them. Invoked at build time with
# -DSCHEMA_DIR=... -DOUTPUT=...
file(GLOB files "${SCHEMA_DIR}/*.sql")
list(SORT files)
set(body "#include \"adapters/postgres/migrations.hpp\"\n\nnamespace ascension::pg {\n\nconst std::vector<Migration>& EmbeddedMigrations() {\n  static const std::vector<Migration> kAll = {\n")
foreach(f ${files})
  get_filename_component(base "${f}" NAME_WE)
  string(REGEX MATCH "^([0-9]+)_(.*)$" _ "${base}")
  set(version "${CMAKE_MATCH_1}")
  set(name "${CMAKE_MATCH_2}")
  math(EXPR version "${version} + 0")
  file(READ "${f}" sql)
  string(APPEND body "      {${version}, \"${name}\", R\"ascsql(${sql})ascsql\"},\n")
endforeach()
string(APPEND body "  };\n  return kAll;\n}\n\n}  // namespace ascension::pg\n")
file(WRITE "${OUTPUT}.tmp" "${body}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
