/**
 * A run's configuration: the resolved HOCON ({@link org.mm1lab.core.config.RunConfig}) with the
 * origin of every value, where defaults and command-line overrides come from, and the settings
 * objects the core reads from it ({@link org.mm1lab.core.config.RunSettings}, {@link
 * org.mm1lab.core.config.TrainSettings}, {@link org.mm1lab.core.config.DataSettings}), each
 * validated once, on construction, with errors that name the path, the file and the line.
 */
package org.mm1lab.core.config;
