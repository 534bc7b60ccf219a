"""The network on a map: an SVG of Germany's Länder with the authorities as links
(`map.render_map`) and the same content as a list (`listing.map_legend_rows`)."""
