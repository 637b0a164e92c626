// The map of a budget's proposals (Leaflet). The page lists the same places without it; this
// file only runs when the server set a tile server (settings.MAP_TILE_URL). No inline script:
// the places come from a json_script element, the tile server from data- attributes (CSP).
;(function () {
  const element = document.getElementById('budget-map')
  const data = document.getElementById('budget-map-data')
  if (!element || !data || typeof window.L === 'undefined') return
  const places = JSON.parse(data.textContent || '[]')
  if (!places.length) return
  element.style.height = '24rem'
  const L = window.L
  const map = L.map(element, { scrollWheelZoom: false })
  L.tileLayer(element.dataset.tileUrl, {
    attribution: element.dataset.attribution || '',
    maxZoom: 19
  }).addTo(map)
  const bounds = []
  places.forEach(function (place) {
    const marker = L.marker([place.lat, place.lng], { title: place.title, alt: place.title })
    const link = document.createElement('a')
    link.className = 'govuk-link'
    link.href = place.url
    link.textContent = place.reference + ': ' + place.title
    marker.bindPopup(link)
    marker.addTo(map)
    bounds.push([place.lat, place.lng])
  })
  if (bounds.length === 1) {
    map.setView(bounds[0], 15)
  } else {
    map.fitBounds(bounds, { padding: [24, 24] })
  }
})()
