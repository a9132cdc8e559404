/**
 * Where a run's data comes from: {@link org.mm1lab.core.sources.DataSources} opens the sources a
 * run names, the built-in synthetic world or files in real formats; {@link
 * org.mm1lab.core.sources.WorldExport} writes the world as such files ({@code mm1 data generate});
 * {@link org.mm1lab.core.sources.DataInspection} reports what a source holds and which records
 * cannot be read, and why ({@code mm1 data inspect}).
 */
package org.mm1lab.core.sources;
