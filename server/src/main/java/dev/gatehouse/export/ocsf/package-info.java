/** The OCSF shape: every event as an OCSF 1.3 API Activity (class 6003), for SIEMs that normalize on OCSF. */
package dev.gatehouse.export.ocsf;
