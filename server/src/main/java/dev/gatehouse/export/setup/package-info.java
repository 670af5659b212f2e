/**
 * The exporters as configured: sinks and shapes by name. It sits above {@code export} and its sink and shape packages,
 * which it assembles, so none of them depends on another.
 */
package dev.gatehouse.export.setup;
