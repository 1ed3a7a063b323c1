/**
 * Spring Boot auto-configuration for natsboot: properties, connection details and the
 * {@code *AutoConfiguration} classes.
 */
@NullMarked
package io.natsboot.autoconfigure;

import org.jspecify.annotations.NullMarked;
