/** Writing asset lists as CSV or GeoJSON, in the format the parse package reads. */
package io.kerbside.registry.write;
