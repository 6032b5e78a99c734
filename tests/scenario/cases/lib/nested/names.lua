-- A dotted module name (require("nested.names")) loads lib/nested/names.lua.
return { feeder = "F-nested" }
